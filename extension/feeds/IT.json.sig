{
 "format": 1,
 "alg": "Ed25519",
 "keyId": "fb60fd3ea5653a74",
 "signature": "r8NVkFbMAkLXUS51IAMCM1aMVba5o2+2h7q7c9pO0ol3/8FrgdmlhBr1fsX+JeKYbUQu5i1WJJky3FChIhlFCQ=="
}
