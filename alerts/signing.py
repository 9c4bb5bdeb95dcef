"""Webhook signatures: HMAC-SHA256 over the timestamp and the body, Stripe's scheme, so that receivers can reuse
what they know.

    X-Tracker-Signature: t=1765170000,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd

`v1` is hex(HMAC-SHA256(secret, f"{t}.{body}")). While a secret is being rotated the header carries one `v1` per
secret (the new one first), so a receiver that still has the old secret keeps verifying.
"""

from __future__ import annotations

import hashlib
import hmac
import time

HEADER = "X-Tracker-Signature"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    signed = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header(secrets: list[str], body: bytes, *, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return ",".join([f"t={timestamp}", *(f"v1={signature(secret, timestamp, body)}" for secret in secrets)])


def verify(header: str, body: bytes, secret: str, *, tolerance: float = 300, now: float | None = None) -> bool:
    """The receiver's check: one `v1` matches and the timestamp is recent (a replayed request is refused)."""
    parts = [part.partition("=") for part in header.split(",")]
    timestamps = [value for key, _, value in parts if key.strip() == "t"]
    if len(timestamps) != 1 or not timestamps[0].isdigit():
        return False
    timestamp = int(timestamps[0])
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body)
    return any(key.strip() == "v1" and hmac.compare_digest(value, expected) for key, _, value in parts)
