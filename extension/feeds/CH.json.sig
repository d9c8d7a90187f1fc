{
 "format": 1,
 "alg": "Ed25519",
 "keyId": "1dca7a4cbc504a2a",
 "signature": "LisnKhdoSlcOhWz9kRi+41fj+5hikHaMwb7Y4gXxBCiw7UZLMmPkgPIxda56oC7YVrHmW3v9wTjPyG3bgDdVBQ=="
}
