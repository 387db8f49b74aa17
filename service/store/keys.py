"""API keys: made at random, shown once, stored only as a prefix and a hash.

A key reads `nck_<prefix>_<secret>`: the 8-character prefix finds the user's row, and the
SHA-256 of the whole key is compared in constant time. A plain hash is enough here, unlike for
passwords: the secret is 256 random bits, so there is nothing to guess and no need for a slow,
salted hash, and checking a key costs a microsecond on every request.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from typing import NamedTuple

KEY_PATTERN = re.compile(r"^nck_([0-9a-f]{8})_([A-Za-z0-9_-]{43})$")


class NewKey(NamedTuple):
    key: str
    prefix: str
    hash: str


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> NewKey:
    prefix = secrets.token_hex(4)
    key = f"nck_{prefix}_{secrets.token_urlsafe(32)}"
    return NewKey(key, prefix, key_hash(key))


def key_prefix(key: str) -> str | None:
    """The lookup prefix of a well-formed key, else None."""
    match = KEY_PATTERN.match(key)
    return match.group(1) if match else None


def key_matches(key: str, stored_hash: str) -> bool:
    return hmac.compare_digest(key_hash(key), stored_hash)
