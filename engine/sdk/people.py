"""People's identity data, checked and shown the engine's way (public).

* :func:`parse_id_number` — a mainland resident ID number (GB 11643) checked and read (birth date,
  sex); raises :class:`IdNumberError` with a bilingual reason.
* :func:`normalise_mobile` — a mainland mobile number in one form; :class:`PhoneError` otherwise.
* :func:`mask_id_number`, :func:`mask_phone` — the forms shown to roles that do not see personal data.
"""

from __future__ import annotations

from engine.people import IdNumberError, PhoneError, mask_id_number, mask_phone, normalise_mobile, parse_id_number

__all__ = ["IdNumberError", "PhoneError", "mask_id_number", "mask_phone", "normalise_mobile", "parse_id_number"]
