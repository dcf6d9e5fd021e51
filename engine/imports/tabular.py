"""Batch registration files (CSV or XLSX): reading, header mapping, row validation.

In a *directed recruitment* (定向招募) the organiser does not wait for people to sign
up one by one: each participating unit — a street office, a company, a school —
sends a spreadsheet of its people, thousands of rows in total.  Those files are
made by hand in Excel or WPS, so this module expects, and explains, the usual
damage:

* CSV exported by Chinese Excel is GBK/GB18030, not UTF-8; WPS adds a BOM; some
  exports use tabs or semicolons.
* Headers vary between units (身份证号 / 身份证号码 / 公民身份号码 …), carry notes
  such as "手机号（必填）", and sometimes sit under a title row ("XX街道志愿者花名册").
* ID numbers typed into a *number* cell have already lost their last digits — the
  only fix is to re-enter them in a text column, so we say exactly that.
* The same person appears twice when two coordinators merged their lists.

Every problem is reported with the row number a person sees in the spreadsheet and
the header as written in the file, in Chinese and English, so the unit can fix its
file without asking what "row 5120" means.

The module is store-agnostic: it returns validated pydantic models and a list of
:class:`RowError`; deciding what to persist is the caller's job.

Layers, each usable alone::

    read_table()     bytes/path  -> Table         (encoding, delimiter, sheet, cell text)
    HeaderMap        headers     -> field names   (aliases in Chinese and English)
    validate_rows()  Table+model -> ImportResult  (good rows, row/column errors, warnings)
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any, BinaryIO, Generic, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import ErrorDetails

from engine.people.idcard import Gender, check_consistency, normalise_gender, parse_id_number
from engine.people.phone import normalise_mobile

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

M = TypeVar("M", bound=BaseModel)

Source = str | os.PathLike[str] | bytes | bytearray | memoryview | BinaryIO


class TableError(ValueError):
    """The file as a whole cannot be read (format, encoding, missing sheet, no header).

    ``zh``/``en`` are kept apart like :class:`engine.people.idcard.IdNumberError`.
    """

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh = zh
        self.en = en


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Row:
    """One non-empty data row.

    ``number`` is the row as a person sees it in Excel/WPS (the header is usually
    row 1, so the first data row is 2; blank rows still count).  ``values`` maps
    every column header to the cell's text, stripped.  ``numeric`` names the columns
    whose cell was stored as a *number* in an XLSX file — harmless for a phone,
    fatal for an ID number.  ``overflow`` holds non-empty cells to the right of the
    last header, which have no column name and are ignored.
    """

    number: int
    values: dict[str, str]
    numeric: frozenset[str] = frozenset()
    overflow: tuple[str, ...] = ()


class Table:
    """A spreadsheet's header and a re-iterable stream of its non-empty data rows.

    Iterating yields ``(row_number, {header: text})``; :meth:`rows` yields richer
    :class:`Row` objects.  Rows are produced lazily from the in-memory file, so a
    10,000-row file is never materialised as dicts all at once.

    ``columns`` are the header texts as written, except that a blank header between
    filled ones is named by its column letter ("列C", listed in ``unnamed_columns``)
    and a repeated header gets a suffix ("手机 (2)"), so that every key is unique.
    """

    def __init__(
        self,
        columns: list[str],
        header_row: int,
        row_source: Callable[[], Iterator[tuple[int, list[Any]]]],
        *,
        filename: str,
        format: Literal["csv", "xlsx"],
        encoding: str | None = None,
        delimiter: str | None = None,
        sheet: str | None = None,
        unnamed_columns: frozenset[str] = frozenset(),
        on_close: Callable[[], None] | None = None,
    ) -> None:
        self.columns = columns
        self.unnamed_columns = unnamed_columns
        self.header_row = header_row
        self.filename = filename
        self.format = format
        self.encoding = encoding
        self.delimiter = delimiter
        self.sheet = sheet
        self._row_source = row_source
        self._on_close = on_close

    def rows(self) -> Iterator[Row]:
        """Yield the data rows below the header, skipping rows whose cells are all empty."""
        width = len(self.columns)
        columns = self.columns
        for number, raw in self._row_source():
            if number <= self.header_row:
                continue
            texts: list[str] = []
            numeric: list[str] = []
            for index, value in enumerate(raw):
                text, was_number = _cell_text(value)
                texts.append(text)
                if was_number and index < width and text:
                    numeric.append(columns[index])
            if not any(texts):
                continue
            if len(texts) < width:
                texts.extend([""] * (width - len(texts)))
            yield Row(
                number=number,
                values=dict(zip(columns, texts[:width], strict=True)),
                numeric=frozenset(numeric),
                overflow=tuple(t for t in texts[width:] if t),
            )

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        for row in self.rows():
            yield row.number, row.values

    def close(self) -> None:
        """Release the workbook (XLSX); harmless to call twice or for CSV."""
        if self._on_close is not None:
            self._on_close()
            self._on_close = None

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Table({self.filename!r}, format={self.format!r}, columns={self.columns!r})"


_CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
_XLSX_SUFFIXES = {".xlsx", ".xlsm"}
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, .et, and password-protected .xlsx
#: How many leading rows to look at when searching for the header row.
_HEADER_SEARCH_ROWS = 20


def read_table(
    source: Source,
    *,
    filename: str | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
) -> Table:
    """Open a CSV or XLSX registration file.

    ``source`` is a path, the file's bytes, or a binary file object (e.g. an
    upload); ``filename`` gives the extension that decides the format (taken from
    the path when omitted; ZIP and legacy-Excel signatures in the content win over
    the extension).  ``sheet`` selects an XLSX sheet by name (default: the first).

    ``header_row`` (1-based) fixes the header row; by default it is the first of the
    first 20 rows with at least two non-empty cells, which skips a title row such as
    "XX街道志愿者花名册" above the header.

    Raises :class:`TableError` when the file cannot be read at all.
    """
    data, name = _load_bytes(source, filename)
    if not data:
        raise TableError(f"文件「{name}」是空的", f"file '{name}' is empty")
    suffix = os.path.splitext(name)[1].lower()
    if data.startswith(_OLE_MAGIC) or suffix in {".xls", ".et"}:
        raise TableError(
            f"「{name}」是旧版 Excel 97-2003 (.xls) 或加密的文件，不受支持："
            "请在 Excel/WPS 中另存为 .xlsx 或 CSV（UTF-8）",
            f"'{name}' is a legacy Excel 97-2003 (.xls) or password-protected file, which is not supported: "
            "save it as .xlsx or CSV (UTF-8)",
        )
    if data.startswith(_ZIP_MAGIC):
        return _read_xlsx(data, name, sheet, header_row)
    if suffix in _XLSX_SUFFIXES:
        raise TableError(
            f"「{name}」不是有效的 .xlsx 文件（可能已损坏或改过扩展名）",
            f"'{name}' is not a valid .xlsx file (damaged, or renamed from another format)",
        )
    if suffix and suffix not in _CSV_SUFFIXES:
        raise TableError(
            f"不支持的文件类型「{suffix}」：请上传 .xlsx 或 .csv",
            f"unsupported file type '{suffix}': upload .xlsx or .csv",
        )
    return _read_csv(data, name, header_row)


def _load_bytes(source: Source, filename: str | None) -> tuple[bytes, str]:
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source), filename or "upload"
    if isinstance(source, str | os.PathLike):
        path = os.fspath(source)
        with open(path, "rb") as handle:
            return handle.read(), filename or os.path.basename(path)
    read = getattr(source, "read", None)
    if callable(read):
        content = read()
        if not isinstance(content, bytes):
            raise TypeError("read_table() needs a binary file object (opened with 'rb')")
        return content, filename or os.path.basename(str(getattr(source, "name", "") or "upload"))
    raise TypeError(f"read_table() cannot read from {type(source).__name__}")


def _find_header_row(rows: Iterable[tuple[int, list[Any]]], requested: int | None) -> tuple[int, list[Any]]:
    """Return ``(row_number, cells)`` of the header row."""
    first_non_empty: tuple[int, list[Any]] | None = None
    for number, raw in rows:
        if requested is not None:
            if number == requested:
                return number, raw
            continue
        if number > _HEADER_SEARCH_ROWS:
            break
        filled = sum(1 for value in raw if _cell_text(value)[0])
        if filled >= 2:
            return number, raw
        if filled and first_non_empty is None:
            first_non_empty = (number, raw)
    if requested is None and first_non_empty is not None:
        return first_non_empty
    where = f"第 {requested} 行" if requested is not None else f"前 {_HEADER_SEARCH_ROWS} 行"
    where_en = f"row {requested}" if requested is not None else f"the first {_HEADER_SEARCH_ROWS} rows"
    raise TableError(f"{where}中没有找到表头", f"no header row found in {where_en}")


def _make_columns(raw: Sequence[Any]) -> tuple[list[str], frozenset[str]]:
    """Header texts and the names made up for blank headers (see :class:`Table`)."""
    texts = [_cell_text(value)[0] for value in raw]
    while texts and not texts[-1]:
        texts.pop()
    columns: list[str] = []
    unnamed: set[str] = set()
    seen: dict[str, int] = {}
    for index, text in enumerate(texts):
        name = text or f"列{_column_letter(index + 1)}"
        count = seen.get(name, 0) + 1
        seen[name] = count
        if count > 1:
            name = f"{name} ({count})"
        if not text:
            unnamed.add(name)
        columns.append(name)
    return columns, frozenset(unnamed)


def _column_letter(number: int) -> str:
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


# --- CSV ---------------------------------------------------------------------


def _decode(data: bytes, name: str) -> tuple[str, str]:
    """UTF-16 if it has a BOM (Excel "Unicode text"), else UTF-8 (BOM optional), else GB18030.

    GB18030 is a superset of GBK and GB2312, which is what Excel on Chinese Windows
    writes when told "CSV".  UTF-8 is tried first because GBK bytes are almost never
    valid UTF-8, while the reverse is not true.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    else:
        return text, "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise TableError(
            f"无法识别「{name}」的文字编码（试过 UTF-8 和 GBK/GB18030）：请另存为“CSV UTF-8”",
            f"cannot tell the text encoding of '{name}' (tried UTF-8 and GBK/GB18030): "
            f"save it as 'CSV UTF-8' ({exc.reason} at byte {exc.start})",
        ) from None


def _detect_delimiter(text: str) -> str:
    """Comma, tab or semicolon: ``csv.Sniffer`` first, checked against the header line.

    The sniffer can be fooled by a skills column like "急救;翻译", so its answer is
    only taken if the delimiter occurs in the first lines; otherwise the candidate
    most frequent on one of those lines wins, and a single-column file gets a comma.
    """
    sample = text[:16384]
    if len(text) > len(sample) and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    head = [line for line in sample.splitlines()[:5] if line.strip()]
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=",\t;").delimiter
    except csv.Error:
        sniffed = ""
    if sniffed and any(sniffed in line for line in head):
        return sniffed
    counts = {
        candidate: max((line.count(candidate) for line in head), default=0) for candidate in (",", "\t", ";")
    }
    best = max(counts, key=lambda candidate: counts[candidate])
    return best if counts[best] else ","


_EXCEL_TEXT_FORMULA = re.compile(r'^="(.*)"$', re.DOTALL)


def _read_csv(data: bytes, name: str, header_row: int | None) -> Table:
    text, encoding = _decode(data, name)
    delimiter = _detect_delimiter(text)

    def records() -> Iterator[tuple[int, list[Any]]]:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        number = 0
        try:
            for number, record in enumerate(reader, start=1):
                # ="0123" is the trick for keeping leading zeros in a CSV opened by Excel.
                yield number, [_unwrap_excel_text(cell) for cell in record]
        except csv.Error as exc:
            raise TableError(
                f"「{name}」第 {number + 1} 行无法解析：{exc}",
                f"'{name}' row {number + 1} cannot be parsed: {exc}",
            ) from None

    number, raw = _find_header_row(records(), header_row)
    columns, unnamed = _make_columns(raw)
    return Table(
        columns,
        number,
        records,
        filename=name,
        format="csv",
        unnamed_columns=unnamed,
        encoding=encoding,
        delimiter=delimiter,
    )


def _unwrap_excel_text(cell: str) -> str:
    match = _EXCEL_TEXT_FORMULA.match(cell)
    return match.group(1) if match else cell


# --- XLSX --------------------------------------------------------------------


def _read_xlsx(data: bytes, name: str, sheet: str | None, header_row: int | None) -> Table:
    import openpyxl  # deferred: CSV-only callers should not pay for it
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings():
            # WPS and Excel write extensions openpyxl does not implement (data
            # validation lists, conditional formats); they are irrelevant to reading values.
            warnings.simplefilter("ignore", UserWarning)
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise TableError(
            f"无法读取 Excel 文件「{name}」：{exc}", f"cannot read Excel file '{name}': {exc}"
        ) from None
    try:
        if sheet is None:
            if not workbook.worksheets:
                raise TableError(f"「{name}」中没有工作表", f"'{name}' has no worksheet")
            worksheet = workbook.worksheets[0]
        elif sheet in workbook.sheetnames:
            worksheet = workbook[sheet]
        else:
            names = "、".join(workbook.sheetnames)
            raise TableError(
                f"「{name}」中没有名为「{sheet}」的工作表（现有：{names}）",
                f"'{name}' has no sheet named '{sheet}' (sheets: {', '.join(workbook.sheetnames)})",
            )
        # Some generators write a wrong <dimension>; without this, openpyxl would
        # silently cut rows or columns off.
        worksheet.reset_dimensions()

        def records() -> Iterator[tuple[int, list[Any]]]:
            for number, values in enumerate(worksheet.iter_rows(min_row=1, values_only=True), start=1):
                yield number, list(values)

        number, raw = _find_header_row(records(), header_row)
    except BaseException:
        workbook.close()
        raise
    columns, unnamed = _make_columns(raw)
    return Table(
        columns,
        number,
        records,
        filename=name,
        format="xlsx",
        unnamed_columns=unnamed,
        sheet=worksheet.title,
        on_close=workbook.close,
    )


def _cell_text(value: Any) -> tuple[str, bool]:
    """Return ``(text, was_number)`` for one cell.

    Integers (and floats with no fraction, which is how Excel stores integers)
    are written without ".0"; dates become ISO 8601 (a midnight datetime becomes
    a plain date).  ``was_number`` lets the validator reject ID numbers that Excel
    stored as numbers — by then the digits past the 15th are already gone.
    """
    if value is None:
        return "", False
    if isinstance(value, str):
        return value.strip(), False
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), False
    if isinstance(value, int):
        return str(value), True
    if isinstance(value, float):
        return (str(int(value)) if value.is_integer() else repr(value)), True
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat(), False
        return value.isoformat(sep=" "), False
    if isinstance(value, date | time):
        return value.isoformat(), False
    if isinstance(value, timedelta):
        return str(value), False
    return str(value).strip(), False


# ---------------------------------------------------------------------------
# Header mapping
# ---------------------------------------------------------------------------

_BRACKETED = re.compile(r"\(.*?\)|\[.*?\]|【.*?】|<.*?>")
_HEADER_NOISE = re.compile(r"[\s*_\-./、:：|]+")


def normalise_header(text: str) -> str:
    """Fold a header to the key used for alias lookup.

    NFKC (full-width → half-width), lower case, bracketed notes dropped ("手机号（必填）"
    → "手机号"), and spaces, ``*`` required-markers, ``_ - . / 、 :`` removed, so that
    "ID Number", "id_number" and "*身份证号码：" all find their field.
    """
    folded = unicodedata.normalize("NFKC", text).lower()
    without_notes = _BRACKETED.sub("", folded)
    key = _HEADER_NOISE.sub("", without_notes)
    return key or _HEADER_NOISE.sub("", folded)


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """How one model field is found in a file and checked across rows.

    ``label``/``label_en`` name the field in messages.  ``required`` makes a missing
    column a file-level error (required model fields are added automatically).
    ``text_only`` rejects cells an XLSX stored as numbers.  ``unique_key``, when set,
    turns on duplicate detection within the file: it maps a cell's text to the key
    compared (raising means "no key", the model will report the value anyway).
    """

    name: str
    label: str = ""
    label_en: str = ""
    aliases: tuple[str, ...] = ()
    required: bool = False
    text_only: bool = False
    unique_key: Callable[[str], str] | None = None

    @property
    def zh(self) -> str:
        return self.label or self.name

    @property
    def en(self) -> str:
        return self.label_en or self.name


@dataclass(frozen=True, slots=True)
class HeaderMatch:
    """Result of matching a file's headers: ``columns`` maps field → header as written."""

    columns: dict[str, str]
    unknown: list[str]
    ignored: list[str]
    conflicts: dict[str, list[str]]


class HeaderMap:
    """Maps the headers people actually write to model field names.

    Each field's own name is always an alias.  ``ignore`` lists headers that are
    expected but carry nothing to import (序号 …): they produce no warning.
    """

    def __init__(self, fields: Iterable[FieldSpec], *, ignore: Iterable[str] = ()) -> None:
        self.fields: dict[str, FieldSpec] = {}
        self._index: dict[str, str] = {}
        self._ignore = frozenset(normalise_header(text) for text in ignore)
        for spec in fields:
            if spec.name in self.fields:
                raise ValueError(f"field {spec.name!r} is listed twice")
            self.fields[spec.name] = spec
            for alias in (spec.name, *spec.aliases):
                key = normalise_header(alias)
                owner = self._index.setdefault(key, spec.name)
                if owner != spec.name:
                    raise ValueError(f"header alias {alias!r} is claimed by both {owner!r} and {spec.name!r}")

    def field_for(self, header: str) -> str | None:
        """The field a header stands for, or ``None``."""
        return self._index.get(normalise_header(header))

    def extended(self, *fields: FieldSpec, ignore: Iterable[str] = ()) -> HeaderMap:
        """A new map with ``fields`` added (a spec with an existing name replaces it)."""
        replaced = {spec.name for spec in fields}
        kept = [spec for name, spec in self.fields.items() if name not in replaced]
        result = HeaderMap([*kept, *fields])
        result._ignore = self._ignore | {normalise_header(text) for text in ignore}
        return result

    def match(self, columns: Sequence[str]) -> HeaderMatch:
        """Match a file's headers; two headers for one field are reported in ``conflicts``."""
        found: dict[str, list[str]] = {}
        unknown: list[str] = []
        ignored: list[str] = []
        for column in columns:
            name = self.field_for(column)
            if name is not None:
                found.setdefault(name, []).append(column)
            elif normalise_header(column) in self._ignore:
                ignored.append(column)
            else:
                unknown.append(column)
        return HeaderMatch(
            columns={name: headers[0] for name, headers in found.items()},
            unknown=unknown,
            ignored=ignored,
            conflicts={name: headers for name, headers in found.items() if len(headers) > 1},
        )

    def accepted_headers(self, name: str) -> list[str]:
        """The aliases of a field, for telling people what to call a missing column."""
        spec = self.fields[name]
        return list(dict.fromkeys((*spec.aliases, spec.name)))


def _id_key(text: str) -> str:
    return parse_id_number(text).number


DEFAULT_HEADER_MAP = HeaderMap(
    [
        FieldSpec(
            "name",
            "姓名",
            "name",
            ("姓名", "名字", "真实姓名", "志愿者姓名", "name", "full name"),
            required=True,
        ),
        FieldSpec(
            "id_number",
            "身份证号",
            "ID number",
            (
                "身份证号",
                "身份证号码",
                "公民身份号码",
                "居民身份证号码",
                "身份证",
                "id number",
                "id card",
                "id card number",
                "id no",
            ),
            required=True,
            text_only=True,
            unique_key=_id_key,
        ),
        FieldSpec("gender", "性别", "gender", ("性别", "gender", "sex")),
        FieldSpec(
            "birth_date",
            "出生日期",
            "birth date",
            ("出生日期", "出生年月日", "生日", "birth date", "date of birth", "dob", "birthday"),
        ),
        FieldSpec(
            "phone",
            "手机号",
            "mobile",
            (
                "手机",
                "手机号",
                "手机号码",
                "移动电话",
                "联系电话",
                "电话",
                "联系方式",
                "phone",
                "mobile",
                "tel",
            ),
        ),
        FieldSpec(
            "skills", "技能", "skills", ("技能", "特长", "专长", "技能特长", "特长技能", "skills", "skill")
        ),
        FieldSpec(
            "availability",
            "可服务时间",
            "availability",
            ("可服务时间", "服务时间", "空闲时间", "可参与时间", "availability", "available time"),
        ),
        FieldSpec(
            "unit",
            "单位",
            "unit",
            (
                "单位",
                "所在单位",
                "工作单位",
                "所属单位",
                "推荐单位",
                "unit",
                "organisation",
                "organization",
                "employer",
            ),
        ),
        FieldSpec("political_status", "政治面貌", "political status", ("政治面貌", "political status")),
        FieldSpec("ethnicity", "民族", "ethnicity", ("民族", "ethnicity", "ethnic group")),
        FieldSpec("education", "学历", "education", ("学历", "文化程度", "education")),
        FieldSpec("email", "电子邮箱", "email", ("电子邮箱", "邮箱", "email", "e-mail")),
        FieldSpec(
            "address", "住址", "address", ("住址", "地址", "居住地址", "家庭住址", "现住址", "address")
        ),
        FieldSpec("remarks", "备注", "remarks", ("备注", "remarks", "remark", "notes", "note")),
    ],
    ignore=("序号", "编号", "no", "no.", "#", "seq"),
)
"""Header aliases for volunteer registration files; pair with :class:`VolunteerRow`."""


# ---------------------------------------------------------------------------
# Field types and the default row model
# ---------------------------------------------------------------------------

_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]0{1,2}:00(?::00)?)?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def parse_date_text(value: Any) -> Any:
    """Accept the date spellings found in Chinese spreadsheets.

    ``1990-03-07``, ``1990/3/7``, ``1990.3.7``, ``1990年3月7日``, ``19900307``, and
    dates/datetimes as they come from XLSX.  Other non-string values are returned
    unchanged for pydantic to judge.  Raises ``ValueError`` (bilingual) for text
    that is not such a date.
    """
    if isinstance(value, datetime):
        return value.date()
    if not isinstance(value, str):
        return value
    text = unicodedata.normalize("NFKC", value).strip()
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                return date(year, month, day)
            except ValueError:
                raise ValueError(f"「{value}」不是有效日期 / '{value}' is not a valid date") from None
    raise ValueError(
        f"日期「{value}」无法识别，请写成 YYYY-MM-DD / date '{value}' not recognised: use YYYY-MM-DD"
    )


_LIST_SEPARATORS = re.compile(r"[、，,;；/／|\r\n]+")


def split_list(value: Any) -> Any:
    """Split "急救、翻译; 摄影" on 、，, ; / | and line breaks; strip, drop blanks and repeats."""
    if not isinstance(value, str):
        return value
    parts = (part.strip() for part in _LIST_SEPARATORS.split(value))
    return list(dict.fromkeys(part for part in parts if part))


def _gender(value: Any) -> Any:
    return normalise_gender(value) if isinstance(value, str) else value


def _id_number(value: str) -> str:
    return parse_id_number(value).number


IdNumberStr = Annotated[str, AfterValidator(_id_number)]
"""A resident ID number, validated (GB 11643-1999) and normalised to 18 characters."""
MobileStr = Annotated[str, AfterValidator(normalise_mobile)]
"""A mainland mobile number, normalised to 11 digits."""
GenderValue = Annotated[Gender, BeforeValidator(_gender)]
"""``"male"``/``"female"``; accepts 男/女/M/F."""
LooseDate = Annotated[date, BeforeValidator(parse_date_text)]
"""A date written in any of the spellings :func:`parse_date_text` accepts."""
SplitList = Annotated[list[str], BeforeValidator(split_list)]
"""A list given as one cell of separated items."""

_ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class VolunteerRow(BaseModel):
    """One person in a directed-recruitment registration file (the default import model).

    ``id_number`` comes before ``gender`` and ``birth_date`` on purpose: pydantic
    validates fields in order, so those two can be checked against the number.
    A mismatch is reported on the gender/birth-date column, since that is the value
    without a checksum and the likelier typo.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50)]
    id_number: IdNumberStr
    gender: GenderValue | None = None
    birth_date: LooseDate | None = None
    phone: MobileStr | None = None
    skills: SplitList = Field(default_factory=list)
    availability: _ShortText | None = None
    unit: _ShortText | None = None
    political_status: _ShortText | None = None
    ethnicity: _ShortText | None = None
    education: _ShortText | None = None
    email: _ShortText | None = None
    address: _ShortText | None = None
    remarks: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] | None = None

    @field_validator("gender", "birth_date")
    @classmethod
    def _agrees_with_id_number(cls, value: Any, info: ValidationInfo) -> Any:
        id_number = info.data.get("id_number")
        if value is None or id_number is None:
            return value
        if info.field_name == "gender":
            reasons = check_consistency(id_number, gender=value)
        else:
            reasons = check_consistency(id_number, birth_date=value)
        if reasons:
            raise ValueError(reasons[0])
        return value


# ---------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RowError:
    """A problem with one cell (or one row, when ``column`` is empty).

    ``column`` is the header as written in the file and ``value`` the cell's text,
    so the message can be shown next to the spreadsheet unchanged.  ``field`` is
    the model field and ``code`` a machine token (a pydantic error type such as
    ``value_error``/``missing``, or ``duplicate``/``numeric_cell``).
    """

    row: int
    column: str
    value: str
    message: str
    field: str | None = None
    code: str = ""


@dataclass(slots=True)
class ImportResult(Generic[M]):
    """Outcome of :func:`validate_rows`.

    ``file_errors`` non-empty means no row was looked at (e.g. a required column is
    missing).  A row is either in ``good`` or has at least one entry in ``errors``.
    ``columns`` maps field → header as written, for echoing the mapping to users.
    """

    good: list[tuple[int, M]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    rows_read: int = 0

    @property
    def ok(self) -> bool:
        """True when the whole file can be accepted."""
        return not self.errors and not self.file_errors

    @property
    def error_rows(self) -> list[int]:
        """Row numbers with at least one error, ascending."""
        return sorted({error.row for error in self.errors})


def _row_message(row: int, column: str, zh: str, en: str) -> str:
    if column:
        return f"第 {row} 行「{column}」: {zh} / row {row}, column {column}: {en}"
    return f"第 {row} 行: {zh} / row {row}: {en}"


def _bilingual(exc: BaseException | None, fallback: str) -> tuple[str, str]:
    """Split an exception's message into Chinese and English halves."""
    zh, en = getattr(exc, "zh", None), getattr(exc, "en", None)
    if isinstance(zh, str) and isinstance(en, str):
        return zh, en
    text = str(exc) if exc is not None else fallback
    if " / " in text:
        head, _, tail = text.partition(" / ")
        return head, tail
    return text, text


_DATE_ERRORS = {"date_parsing", "date_type", "date_from_datetime_parsing", "date_from_datetime_inexact"}
_NUMBER_ERRORS = {
    "int_parsing",
    "int_type",
    "int_from_float",
    "float_parsing",
    "float_type",
    "decimal_parsing",
}
_BOUNDS = {
    "greater_than": ("gt", "应大于 {}", "must be greater than {}"),
    "greater_than_equal": ("ge", "应不小于 {}", "must be at least {}"),
    "less_than": ("lt", "应小于 {}", "must be less than {}"),
    "less_than_equal": ("le", "应不大于 {}", "must be at most {}"),
}


def _pydantic_reason(error: ErrorDetails) -> tuple[str, str]:
    """Bilingual text for one pydantic error; our validators' messages pass through."""
    kind = error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    if kind in {"value_error", "assertion_error"}:
        return _bilingual(ctx.get("error"), error["msg"])
    if kind == "missing":
        return "必填，不能为空", "required, must not be empty"
    if kind == "string_too_short":
        return (
            f"至少 {ctx.get('min_length')} 个字符",
            f"must have at least {ctx.get('min_length')} characters",
        )
    if kind == "string_too_long":
        return f"最多 {ctx.get('max_length')} 个字符", f"must have at most {ctx.get('max_length')} characters"
    if kind == "string_pattern_mismatch":
        return "格式不正确", f"wrong format (expected pattern {ctx.get('pattern')})"
    if kind in _DATE_ERRORS:
        return "不是有效日期，请写成 YYYY-MM-DD", "not a valid date, use YYYY-MM-DD"
    if kind in _NUMBER_ERRORS:
        return "应为数字", "must be a number"
    if kind == "bool_parsing":
        return "应为“是”或“否”", "must be yes or no"
    if kind in {"literal_error", "enum"}:
        expected = ctx.get("expected", "")
        return f"取值应为 {expected}", f"must be one of {expected}"
    if kind in _BOUNDS:
        key, zh, en = _BOUNDS[kind]
        return zh.format(ctx.get(key)), en.format(ctx.get(key))
    return f"取值无效（{error['msg']}）", error["msg"]


def validate_rows(
    table: Table,
    model: type[M],
    header_map: HeaderMap | None = None,
) -> ImportResult[M]:
    """Validate every data row of ``table`` against ``model``.

    ``header_map`` (default :data:`DEFAULT_HEADER_MAP`) maps the file's headers to
    model fields; model fields it does not list are matched by their own name.
    Empty cells are left out of the input, so model defaults apply and required
    fields report "required".  Each pydantic error becomes a :class:`RowError` on
    the column it concerns, with a bilingual message such as
    ``第 7 行「身份证号」: 校验码应为 X… / row 7, column 身份证号: check digit should be X…``.
    Fields with a ``unique_key`` are checked for duplicates within the file; the
    later row gets the error, naming the earlier one.

    Single pass over the rows; nothing is re-read per row.
    """
    header_map = header_map or DEFAULT_HEADER_MAP
    model_fields = model.model_fields
    missing_specs = [
        FieldSpec(name)
        for name in model_fields
        if name not in header_map.fields and header_map.field_for(name) is None
    ]
    effective = header_map.extended(*missing_specs) if missing_specs else header_map
    match = effective.match(table.columns)
    result: ImportResult[M] = ImportResult()

    used = {name: column for name, column in match.columns.items() if name in model_fields}
    result.columns = used
    _header_problems(effective, model, match, used, table.unnamed_columns, result)
    if result.file_errors:
        return result

    checker = _RowChecker(model, used, effective)
    overflow_rows: list[int] = []
    unmapped_only_rows: list[int] = []
    unnamed = [column for column in table.columns if column in table.unnamed_columns]
    unnamed_with_values: set[str] = set()
    for row in table.rows():
        if row.overflow:
            overflow_rows.append(row.number)
        unnamed_with_values.update(column for column in unnamed if row.values[column])
        data = checker.input_for(row)
        if not data:
            if any(row.values[column] for column in match.unknown):
                unmapped_only_rows.append(row.number)
            continue  # e.g. a pre-numbered template row with only 序号 filled in
        result.rows_read += 1
        instance, row_errors = checker.check(row, data)
        if row_errors:
            result.errors.extend(row_errors)
        elif instance is not None:
            result.good.append((row.number, instance))

    if overflow_rows:
        result.warnings.append(
            f"第 {_row_list(overflow_rows, '、')} 行在最后一个表头右侧还有内容，已忽略"
            f" / rows {_row_list(overflow_rows, ', ')} have values right of the last header; ignored"
        )
    if unmapped_only_rows:
        result.warnings.append(
            f"第 {_row_list(unmapped_only_rows, '、')} 行只有未识别的列有内容，已跳过"
            f" / rows {_row_list(unmapped_only_rows, ', ')} have values only in unrecognised columns; skipped"
        )
    for column in unnamed:
        if column in unnamed_with_values:
            result.warnings.append(
                f"「{column}」没有表头，其中的内容已忽略 / {column} has no header; its values were ignored"
            )
    return result


class _RowChecker(Generic[M]):
    """Per-file state for :func:`validate_rows`: column plan and the keys seen so far."""

    def __init__(self, model: type[M], columns: Mapping[str, str], header_map: HeaderMap) -> None:
        self.model = model
        self.columns = dict(columns)
        specs = [(name, column, header_map.fields[name]) for name, column in self.columns.items()]
        self.text_only = [(name, column) for name, column, spec in specs if spec.text_only]
        self.unique = [(name, column, spec) for name, column, spec in specs if spec.unique_key is not None]
        self.seen: dict[str, dict[str, int]] = {name: {} for name, _, _ in self.unique}

    def input_for(self, row: Row) -> dict[str, str]:
        """Model input: field → cell text, leaving empty cells out so defaults apply."""
        values = row.values
        return {name: values[column] for name, column in self.columns.items() if values[column]}

    def check(self, row: Row, data: dict[str, str]) -> tuple[M | None, list[RowError]]:
        errors = self._numeric_cells(row, data)
        suppressed = {error.field for error in errors}
        instance: M | None = None
        try:
            instance = self.model.model_validate(data)
        except ValidationError as exc:
            errors.extend(self._from_pydantic(row, exc, suppressed))
        errors.extend(self._duplicates(row, data))
        return instance, errors

    def _numeric_cells(self, row: Row, data: dict[str, str]) -> list[RowError]:
        """Reject text-only fields stored as numbers; they are then left out of the model input."""
        errors = []
        for name, column in self.text_only:
            if column in row.numeric:
                del data[name]
                errors.append(_numeric_cell_error(row.number, column, row.values[column], name))
        return errors

    def _from_pydantic(
        self, row: Row, exc: ValidationError, suppressed: set[str | None]
    ) -> Iterator[RowError]:
        for error in exc.errors():
            location = error["loc"]
            name = str(location[0]) if location else ""
            if name in suppressed:
                continue  # already reported as a numeric cell
            column = self.columns.get(name, name)
            zh, en = _pydantic_reason(error)
            yield RowError(
                row=row.number,
                column=column,
                value=row.values.get(column, ""),
                message=_row_message(row.number, column, zh, en),
                field=name or None,
                code=error["type"],
            )

    def _duplicates(self, row: Row, data: dict[str, str]) -> Iterator[RowError]:
        """A key is claimed by the first row that has it, even if that row has other errors."""
        for name, column, spec in self.unique:
            raw = data.get(name)
            if raw is None or spec.unique_key is None:
                continue
            try:
                key = spec.unique_key(raw)
            except ValueError:
                continue  # an invalid value; the model reports it
            first = self.seen[name].setdefault(key, row.number)
            if first != row.number:
                yield RowError(
                    row=row.number,
                    column=column,
                    value=raw,
                    message=_row_message(
                        row.number,
                        column,
                        f"与第 {first} 行的{spec.zh}重复",
                        f"same {spec.en} as row {first}",
                    ),
                    field=name,
                    code="duplicate",
                )


def _header_problems(
    header_map: HeaderMap,
    model: type[BaseModel],
    match: HeaderMatch,
    used: Mapping[str, str],
    unnamed: frozenset[str],
    result: ImportResult[Any],
) -> None:
    """File-level errors (missing or doubled columns) and warnings (unknown columns)."""
    for column in match.unknown:
        if column in unnamed:
            continue  # warned about at the end, and only if it holds values
        result.warnings.append(f"未识别的列「{column}」，已忽略 / unrecognised column '{column}' ignored")
    for name, column in match.columns.items():
        if name not in model.model_fields:
            result.warnings.append(
                f"列「{column}」在本次导入中不使用 / column '{column}' is not used by this import"
            )
    for name, columns in match.conflicts.items():
        if name not in model.model_fields:
            continue
        spec = header_map.fields.get(name) or FieldSpec(name)
        quoted = "、".join(f"「{column}」" for column in columns)
        result.file_errors.append(
            f"{quoted}都表示{spec.zh}，请删除或重命名多余的列"
            f" / columns {', '.join(columns)} all mean {spec.en}; delete or rename the extra ones"
        )
    required = [
        name
        for name, info in model.model_fields.items()
        if info.is_required() or (name in header_map.fields and header_map.fields[name].required)
    ]
    for name in required:
        if name in used:
            continue
        spec = header_map.fields.get(name) or FieldSpec(name)
        accepted = header_map.accepted_headers(name) if name in header_map.fields else [name]
        result.file_errors.append(
            f"缺少必需的列「{spec.zh}」（可用列名：{'、'.join(accepted)}）"
            f" / missing required column '{spec.en}' (accepted headers: {', '.join(accepted)})"
        )


def _numeric_cell_error(row: int, column: str, value: str, name: str) -> RowError:
    return RowError(
        row=row,
        column=column,
        value=value,
        message=_row_message(
            row,
            column,
            "该单元格是数字格式，超过 15 位的号码已被 Excel 改掉末几位：请把这一列设为“文本”格式后重新录入",
            "the cell is stored as a number, so Excel has already changed the digits after the 15th: "
            "format the column as Text and enter the numbers again",
        ),
        field=name,
        code="numeric_cell",
    )


def _row_list(numbers: list[int], separator: str, limit: int = 20) -> str:
    shown = separator.join(str(number) for number in numbers[:limit])
    return shown + (f"{separator}… (+{len(numbers) - limit})" if len(numbers) > limit else "")


def import_registration_file(
    source: Source,
    *,
    filename: str | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
) -> ImportResult[VolunteerRow]:
    """Read and validate a volunteer registration file with the default model and headers.

    The one call an upload handler needs; a :class:`TableError` (unreadable file)
    is turned into a file-level error so callers handle a single result type.
    """
    try:
        table = read_table(source, filename=filename, sheet=sheet, header_row=header_row)
    except TableError as exc:
        return ImportResult(file_errors=[str(exc)])
    with table:
        return validate_rows(table, VolunteerRow, DEFAULT_HEADER_MAP)
