{
 "format": 1,
 "alg": "Ed25519",
 "keyId": "150431b89b198393",
 "signature": "ueg9Y93dIHgR5JciGkIWu5N5IfFPwMKkb744akdusIV+9OwznSZDwV7BXglR4lPhuFR/hV9d88L5e6WkM7HmBA=="
}
