# The seed's Python example, ported to Python 3 (bytes for hmac and base64; str for the result).
# Usage: python3 signed_request.py SHARED_SECRET USER_ID FULL_NAME  -> prints a signed_request
import hmac, hashlib
import time
import base64
import json
import sys


def generate_signed_request(shared_secret, user_id, full_name):
    payload = {"issued_at": int(time.time()), "user_id": user_id, "full_name": full_name}
    encoded_payload = base64.urlsafe_b64encode(json.dumps(payload).encode("utf-8"))
    hmac_signature = hmac.new(shared_secret.encode("utf-8"), encoded_payload, hashlib.sha256).digest()
    encoded_signature = base64.urlsafe_b64encode(hmac_signature)
    signed_request = encoded_signature + b"." + encoded_payload
    return signed_request.decode("ascii")


if __name__ == "__main__":
    print(generate_signed_request(sys.argv[1], sys.argv[2], sys.argv[3]))
