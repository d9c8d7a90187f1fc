{
 "format": 1,
 "alg": "Ed25519",
 "keyId": "1dca7a4cbc504a2a",
 "signature": "9Uie4IMkOAQDK3j9HqrmsO8gWmRTgkS3eptQdhSeR064Pr9FbtAs5PlMRDxZPdY3pahAxmAIr7ndh0XYNsxYAw=="
}
