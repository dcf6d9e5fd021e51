"""Encryption at rest for personal data: a column type, a blind index, and key rotation.

* :class:`EncryptedString` — SQLAlchemy type, Fernet-encrypted text (``engine/crypto/types.py``);
* :func:`blind_index` — keyed HMAC for exact lookups and uniqueness (``engine/crypto/index.py``);
* :func:`rotate` — re-encrypt every ``EncryptedString`` column under the newest key (``rotate.py``);
* keys from ``VOLUNTEER_DATA_KEYS`` or the key file (``keys.py``).

Plan types use the same type and index for their own tables; docs/security.md says how.
"""

from engine.crypto.index import INDEX_LENGTH, blind_index, keyed_digest
from engine.crypto.keys import Keyring, get_keyring, new_keyring, parse_keys, reset_keyring
from engine.crypto.types import EncryptedString

__all__ = ["INDEX_LENGTH", "EncryptedString", "Keyring", "blind_index", "get_keyring", "keyed_digest",
           "new_keyring", "parse_keys", "reset_keyring"]
