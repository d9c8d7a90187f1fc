{
 "format": 1,
 "alg": "Ed25519",
 "keyId": "1dca7a4cbc504a2a",
 "signature": "fnnhQxFCPlsBNlEnlmVVN59HWwZOgnx0bKd2azYUf53thyBDhm5Bd2IhnwIi2NhBIL49+ArC8LSgoj04Qxc1Dw=="
}
