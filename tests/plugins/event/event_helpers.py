"""Helpers for the event tests: bring the example programme to service with its permit recorded."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests_support import bring_to

from plugins.event.models import Permit


def grant_permit(eng: Any, pid: str) -> None:
    with eng.session() as s:
        s.add(Permit(programme_id=pid, authority="县级公安机关", filed_on=dt.date(2010, 4, 1),
                     accepted_on=dt.date(2010, 4, 2), decided_on=dt.date(2010, 4, 8), decision="granted",
                     updated_by="admin1"))
        s.commit()


def in_service(eng: Any, prog: Any) -> Any:
    grant_permit(eng, prog.id)
    bring_to(eng, prog.id, "service")
    return prog


_seq = iter(range(1, 10**6))


def id_number(birth: dt.date) -> str:
    """A valid resident ID number (GB 11643 check character) for someone born on ``birth``."""
    first17 = f"310112{birth:%Y%m%d}{next(_seq) % 1000:03d}"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights, strict=True)) % 11]


def person(name: str, birth: dt.date = dt.date(1970, 3, 1), **kw: object) -> dict[str, object]:
    return {"name": name, "id_number": id_number(birth), "available_days": 30, "local_household": True, **kw}
