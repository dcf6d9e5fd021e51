"""The rules :func:`..eligibility.pre_check` evaluates, one module per group; each appends to a
:class:`..results.Findings`."""

from .counsel import appointed_counsel, skip_application_rules
from .intake import documents, provisional_aid
from .means import art32, art42, economic_hardship
from .scope import not_represented, scope

__all__ = [
    "appointed_counsel",
    "art32",
    "art42",
    "documents",
    "economic_hardship",
    "not_represented",
    "provisional_aid",
    "scope",
    "skip_application_rules",
]
