{
 "format": 1,
 "alg": "Ed25519",
 "keyId": "150431b89b198393",
 "signature": "aFYe91cbBtYrF0iH+lOp8IZrb36t8HImsIIzXiLUosz6b7sMQ04KuD9dOB552kB18Hw6D6UxxIFOLC4m3apLBg=="
}
