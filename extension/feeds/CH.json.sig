{
 "format": 1,
 "alg": "Ed25519",
 "keyId": "150431b89b198393",
 "signature": "6svKNm/x6q9UFVy/kCTq5+oRHrTBaUE4mSQZ2KpuBGj0daM+srApdWYDSe0DhGyCrj++dlKAzlorStAkbTwIAw=="
}
