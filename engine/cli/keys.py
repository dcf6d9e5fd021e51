"""``volunteer keys new|rotate``: the data keys that encrypt ID numbers and phones (engine/crypto).

``rotate`` with the key file (default): a new key is written first beside the old ones, every
encrypted column is re-encrypted under it in one transaction, then the old keys are dropped from
the file. With ``VOLUNTEER_DATA_KEYS`` the operator edits the variable: put the key printed by
``volunteer keys new`` first (keep the old ones after it), run ``rotate``, then remove the old ones.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer
from rich.console import Console

out = Console(soft_wrap=True)
DbOpt = Annotated[str | None, typer.Option("--database-url", envvar="VOLUNTEER_DATABASE_URL",
                                           help="SQLAlchemy URL; default sqlite:///volunteer.db")]
keys_app = typer.Typer(no_args_is_help=True, help="Data keys 数据密钥 (encryption at rest).")


@keys_app.command("new")
def new() -> None:
    """Print a new Fernet key (for VOLUNTEER_DATA_KEYS)."""
    from cryptography.fernet import Fernet

    out.print(f"key {Fernet.generate_key().decode('ascii')}", highlight=False)


@keys_app.command("rotate")
def rotate(database_url: DbOpt = None) -> None:
    """Re-encrypt every encrypted column under a new key (key file) or the first key (environment)."""
    from engine.core import VolunteerEngine
    from engine.crypto import Keyring, get_keyring, reset_keyring
    from engine.crypto.keys import ENV_KEYS, key_file, new_keyring, write_key_file
    from engine.crypto.rotate import reencrypt
    from engine.store.base import Base

    eng = VolunteerEngine(database_url)  # upgrades the schema and imports every plugin's models
    ring = get_keyring()
    from_env = bool(os.environ.get(ENV_KEYS))
    if not from_env:
        fresh = new_keyring().keys[0]
        write_key_file(key_file(), Keyring(ring.index_key, (fresh, *ring.keys), ring.source))
        reset_keyring()
    counts = reencrypt(eng.db.engine, Base.metadata)
    if not from_env:
        now = get_keyring()
        write_key_file(key_file(), Keyring(now.index_key, now.keys[:1], now.source))
        reset_keyring()
    done = ", ".join(f"{k} {v}" for k, v in counts.items())
    out.print(f"已重新加密 re-encrypted: {done}", highlight=False)
    if from_env:
        out.print(f"现在可从 {ENV_KEYS} 删除旧密钥 / you may now remove the older keys from {ENV_KEYS}",
                  highlight=False)
    else:
        out.print(f"旧密钥已从 {key_file()} 删除 / older keys removed from {key_file()}", highlight=False)
