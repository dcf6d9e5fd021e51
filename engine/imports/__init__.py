"""Importing people in bulk from the spreadsheets units send (CSV or XLSX).

See :mod:`engine.imports.tabular` for the reading/validation pipeline.
"""

from engine.imports.tabular import (
    DEFAULT_HEADER_MAP,
    FieldSpec,
    GenderValue,
    HeaderMap,
    HeaderMatch,
    IdNumberStr,
    ImportResult,
    LooseDate,
    MobileStr,
    Row,
    RowError,
    SplitList,
    Table,
    TableError,
    VolunteerRow,
    import_registration_file,
    normalise_header,
    parse_date_text,
    read_table,
    split_list,
    validate_rows,
)

__all__ = [
    "DEFAULT_HEADER_MAP",
    "FieldSpec",
    "GenderValue",
    "HeaderMap",
    "HeaderMatch",
    "IdNumberStr",
    "ImportResult",
    "LooseDate",
    "MobileStr",
    "Row",
    "RowError",
    "SplitList",
    "Table",
    "TableError",
    "VolunteerRow",
    "import_registration_file",
    "normalise_header",
    "parse_date_text",
    "read_table",
    "split_list",
    "validate_rows",
]
