{
 "format": 1,
 "alg": "Ed25519",
 "keyId": "1dca7a4cbc504a2a",
 "signature": "EsBQKn3yg0Alat0J6CART0x0uHBVbz6tt6zHRekBdxqKNYMDb/1F3FJkJp/YVf8NG6tc8sAS4W7IIFC51WstAQ=="
}
