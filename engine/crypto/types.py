"""``EncryptedString``: a column whose value is stored Fernet-encrypted (AES-128-CBC + HMAC-SHA256).

Use it for personal data that must not sit in the database file as plain text, with a blind index
column beside it when the value is looked up or must be unique::

    from engine.crypto import EncryptedString, blind_index

    class Lawyer(Base):
        licence_no: Mapped[str] = mapped_column(EncryptedString())
        licence_no_index: Mapped[str] = mapped_column(String(64), unique=True)

        @validates("licence_no")
        def _index(self, _key, value):
            self.licence_no_index = blind_index(value, "licence_no")
            return value

    select(Lawyer).where(Lawyer.licence_no_index == blind_index(number, "licence_no"))

Encryption is randomised, so comparing the column itself can never match: every comparison other
than ``IS NULL`` raises (use the blind index). ``volunteer keys rotate`` finds every such column
through the models' metadata and re-encrypts it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Text
from sqlalchemy.sql import operators
from sqlalchemy.types import TypeDecorator

from engine.crypto.keys import get_keyring

_ALLOWED = {operators.is_, operators.is_not}


class EncryptedString(TypeDecorator[str]):
    impl = Text
    cache_ok = True

    class Comparator(TypeDecorator.Comparator[str]):
        def operate(self, op: Any, *other: Any, **kwargs: Any) -> Any:
            if op not in _ALLOWED:
                raise TypeError("加密列不能直接比较，请用盲索引 / an encrypted column cannot be compared: "
                                "compare its blind index (engine.crypto.blind_index) instead")
            return super().operate(op, *other, **kwargs)

    comparator_factory = Comparator

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        if value is None:
            return None
        return get_keyring().encrypt(str(value))

    def process_result_value(self, value: str | None, dialect: Any) -> str | None:
        if value is None:
            return None
        return get_keyring().decrypt(value)
