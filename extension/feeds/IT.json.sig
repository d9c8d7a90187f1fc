{
 "format": 1,
 "alg": "Ed25519",
 "keyId": "1dca7a4cbc504a2a",
 "signature": "i/g4Y6vhBbNaEnDPqjyMBS7heuc6MZR5JjBtvkLpORCi1/37/7d97a71uVtTXI/PosyaiPoHBL76P5ksfXo2AQ=="
}
