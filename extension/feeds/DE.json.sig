{
 "format": 1,
 "alg": "Ed25519",
 "keyId": "150431b89b198393",
 "signature": "ViQxcv0zyvwL3QMBwywn5xsbLVXrO9CU4hx6pRKJezxAA1fF5pIUaSDeJRLZP5WZ4fjIxvtqC7eakMT2tCg3DQ=="
}
