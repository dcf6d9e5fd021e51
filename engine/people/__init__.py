"""People data that every volunteer organisation handles: ID numbers and phones.

Pure standard library; the validators here are reused by the importers, the HTTP
layer and plugins so that a number rejected in one place is rejected everywhere.
"""

from engine.people.idcard import (
    Gender,
    IdNumber,
    IdNumberError,
    age_on,
    check_character,
    check_consistency,
    mask_id_number,
    normalise_gender,
    parse_id_number,
)
from engine.people.phone import PhoneError, mask_phone, normalise_mobile

__all__ = [
    "Gender",
    "IdNumber",
    "IdNumberError",
    "PhoneError",
    "age_on",
    "check_character",
    "check_consistency",
    "mask_id_number",
    "mask_phone",
    "normalise_gender",
    "normalise_mobile",
    "parse_id_number",
]
