"""Bounded input types shared by every request schema, the engine's and the plan types'.

Why: a value the store cannot hold must be refused at the door, as a 422 naming the field, and
refused the same way on SQLite and on PostgreSQL. SQLite stores a 64-bit integer where PostgreSQL's
``integer`` column stops at 2³¹−1; PostgreSQL rejects a negative OFFSET that SQLite ignores;
Python's ``datetime`` overflows when year 1 or 9999 is moved to UTC. Each type below carries its
bounds into the OpenAPI document as well (``minimum``/``maximum``/``maxLength``), so clients and
the fuzz test see them.

Use them in path, query and body parameters alike::

    from engine.inputs import Day, Id, Limit, Offset

    @router.get("/things/{thing_id}")
    def show(thing_id: Id, limit: Limit = 100, offset: Offset = 0) -> ...

Text needs no type of its own for its characters: NUL bytes and lone surrogates are refused for
every string of every request by :mod:`engine.http.input_guard`; give each string a ``max_length``
no larger than its column.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, BaseModel, Field, ValidationInfo, field_validator

#: The largest value of a PostgreSQL ``integer`` column (every id and count column of the store).
INT_MAX = 2_147_483_647
#: The calendar the engine accepts: wide enough for any birth date and any plan, narrow enough that
#: moving a time between zones can never overflow.
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2199, 12, 31)
_RANGE = f"{FIRST_DAY.isoformat()} … {LAST_DAY.isoformat()}"


def _day_in_range(value: dt.date) -> dt.date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValueError(f"日期须在 {_RANGE} 之间 / the date must lie between {FIRST_DAY} and {LAST_DAY}")
    return value


def _moment_in_range(value: dt.datetime) -> dt.datetime:
    _day_in_range(value.date())
    return value


#: A row id (primary or foreign key): 1 … 2³¹−1.
Id = Annotated[int, Field(ge=1, le=INT_MAX, description="id (1 … 2147483647)")]
#: A whole number of things (capacity, stock, people): 0 … 2³¹−1.
Count = Annotated[int, Field(ge=0, le=INT_MAX)]
#: A signed whole number that fits an integer column (e.g. an expected version).
Int = Annotated[int, Field(ge=-INT_MAX, le=INT_MAX)]
#: Paging.
Offset = Annotated[int, Field(ge=0, le=INT_MAX, description="rows to skip (≥ 0)")]
Limit = Annotated[int, Field(ge=1, le=1000, description="rows to return (1 … 1000)")]
#: A span of days looked ahead or back (ten years at most).
Days = Annotated[int, Field(ge=0, le=3660, description="days (0 … 3660)")]
#: A calendar year.
Year = Annotated[int, Field(ge=FIRST_DAY.year, le=LAST_DAY.year)]
#: Dates and times within the engine's calendar; a time without an offset is read in the
#: programme's time zone by the service that receives it.
Day = Annotated[dt.date, AfterValidator(_day_in_range), Field(description=f"date ({_RANGE})")]
Moment = Annotated[dt.datetime, AfterValidator(_moment_in_range), Field(description=f"date and time ({_RANGE})")]
#: The largest NUMERIC(14, 2) the store keeps (money, points, costs).
DECIMAL_MAX = Decimal("999999999999.99")
#: Money in yuan, as the store keeps it (NUMERIC(14, 2)); never negative.
Money = Annotated[Decimal, Field(ge=0, le=DECIMAL_MAX, max_digits=14, decimal_places=2, allow_inf_nan=False)]
#: A positive amount of points, hours or money (NUMERIC(14, 2)).
Amount = Annotated[Decimal, Field(gt=0, le=DECIMAL_MAX, max_digits=14, decimal_places=2, allow_inf_nan=False)]



class Patch(BaseModel):
    """Base of PATCH bodies: an omitted field is kept; ``null`` clears an optional one, and is a 422
    naming the field for those listed in ``not_null`` (columns that cannot be empty)."""

    not_null: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*")
    @classmethod
    def _not_null(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name in cls.not_null:
            raise ValueError("不能为空，要保留原值请省略该字段 / cannot be null: leave the field out to keep its value")
        return value


__all__ = ["DECIMAL_MAX", "FIRST_DAY", "INT_MAX", "LAST_DAY", "Amount", "Count", "Day", "Days", "Id", "Int", "Limit", "Moment",
           "Money", "Offset", "Patch", "Year"]
