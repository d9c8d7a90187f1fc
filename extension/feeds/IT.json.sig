{
 "format": 1,
 "alg": "Ed25519",
 "keyId": "150431b89b198393",
 "signature": "0VlV0nSM6TgKP3cvnqVGmGpm5lhT/qyVj3qlnLbkRMqEeRVh62pXTI2iK2x+yjdNozab0GrCS+z/1CFfRwnyCQ=="
}
