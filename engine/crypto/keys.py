"""The data keys: Fernet keys that encrypt personal data at rest, and the key of the blind index.

Where they come from (first found wins):

1. ``VOLUNTEER_DATA_KEYS``: the key text itself (lines, or ``;`` between entries);
2. ``VOLUNTEER_DATA_KEY_FILE`` (default ``volunteer-data.key`` in the working folder). When that
   file does not exist it is created with fresh keys, mode 0600, and its name is logged.

The key text, one entry a line (``#`` starts a comment)::

    index <32 random bytes, urlsafe base64>   # the blind-index HMAC key: never rotated with the others
    key <Fernet key>                          # newest first: it encrypts; every listed key decrypts
    key <older Fernet key>

``volunteer keys rotate`` puts a new key first, re-encrypts every encrypted column, then drops the
older keys (docs/security.md, "Encryption at rest").
"""

from __future__ import annotations

import base64
import functools
import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

log = logging.getLogger(__name__)
ENV_KEYS = "VOLUNTEER_DATA_KEYS"
ENV_FILE = "VOLUNTEER_DATA_KEY_FILE"
DEFAULT_FILE = "volunteer-data.key"


class KeyError_(ValueError):
    """The key text is missing or malformed (message in Chinese and English)."""


@dataclass(frozen=True)
class Keyring:
    index_key: bytes
    keys: tuple[str, ...]          # Fernet keys, newest first
    source: str                    # "env" or the file's path

    @functools.cached_property
    def fernet(self) -> MultiFernet:
        return MultiFernet([Fernet(k) for k in self.keys])

    def encrypt(self, text: str) -> str:
        return self.fernet.encrypt(text.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        try:
            return self.fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except (InvalidToken, ValueError):
            raise KeyError_("无法解密：数据密钥不对或缺失 / cannot decrypt a stored value: the data key that "
                            f"encrypted it is not among the keys from {self.source}") from None

    def rotate_token(self, token: str) -> str:
        """The same plaintext, encrypted under the newest key."""
        return self.fernet.rotate(token.encode("ascii")).decode("ascii")

    def text(self) -> str:
        lines = ["# Volunteer Engine data keys (docs/security.md). Keep secret, back up with the database.",
                 f"index {base64.urlsafe_b64encode(self.index_key).decode('ascii')}"]
        return "\n".join(lines + [f"key {k}" for k in self.keys]) + "\n"


def new_keyring(source: str = "new") -> Keyring:
    return Keyring(secrets.token_bytes(32), (Fernet.generate_key().decode("ascii"),), source)


def parse_keys(text: str, source: str) -> Keyring:
    index: bytes | None = None
    keys: list[str] = []
    for n, raw in enumerate(text.replace(";", "\n").splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        kind, _, value = line.partition(" ")
        value = value.strip()
        try:
            if kind == "index":
                index = base64.urlsafe_b64decode(value.encode("ascii"))
                if len(index) < 32:
                    raise ValueError
            elif kind == "key":
                Fernet(value.encode("ascii"))
                keys.append(value)
            else:
                raise ValueError
        except ValueError:
            raise KeyError_(f"数据密钥第 {n} 行无效 / data keys ({source}) line {n}: expected "
                            "'index <base64 of 32 bytes>' or 'key <Fernet key>'") from None
    if index is None or not keys:
        raise KeyError_(f"数据密钥不完整 / data keys ({source}) need one 'index' line and at least one 'key' line")
    return Keyring(index, tuple(keys), source)


def key_file() -> Path:
    return Path(os.environ.get(ENV_FILE) or DEFAULT_FILE)


def write_key_file(path: Path, ring: Keyring) -> None:
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(ring.text())
    os.replace(tmp, path)


@functools.lru_cache(maxsize=1)
def get_keyring() -> Keyring:
    text = os.environ.get(ENV_KEYS)
    if text:
        return parse_keys(text, ENV_KEYS)
    path = key_file()
    if not path.exists():
        ring = new_keyring(str(path))
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it first: read theirs
        else:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(ring.text())
            log.warning("created data key file %s: back it up with the database (docs/security.md)", path)
    return parse_keys(path.read_text(encoding="utf-8"), str(path))


def reset_keyring() -> None:
    """Forget the cached keys (after a rotation, or when a test changes the environment)."""
    get_keyring.cache_clear()
