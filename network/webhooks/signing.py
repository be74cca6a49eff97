"""Standard Webhooks signatures (https://www.standardwebhooks.com, "Signature scheme").

Each call carries three headers: `webhook-id` (the message's id, the same on every retry, so that a
receiver can drop a duplicate), `webhook-timestamp` (seconds since the epoch, of this attempt) and
`webhook-signature`: "v1," + base64(HMAC-SHA256(key, f"{id}.{timestamp}.{body}")), where the key is
the base64-decoded part of the secret after "whsec_". Several signatures are separated by spaces.

May import: the standard library only.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

SECRET_PREFIX = "whsec_"


def secret_key(secret: str) -> bytes:
    """The HMAC key of a "whsec_…" secret: the bytes its base64 part encodes."""
    encoded = secret.removeprefix(SECRET_PREFIX)
    return base64.b64decode(encoded + "=" * (-len(encoded) % 4))


def signature(*, secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """The "v1,…" signature of one attempt."""
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def signed_headers(*, secrets: list[str], msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The three headers of a call, signed with each of `secrets` (space-separated signatures: a
    receiver accepts the call when one of them is made with the secret it has)."""
    signatures = " ".join(signature(secret=s, msg_id=msg_id, timestamp=timestamp, body=body) for s in secrets)
    return {"webhook-id": msg_id, "webhook-timestamp": str(timestamp), "webhook-signature": signatures}
