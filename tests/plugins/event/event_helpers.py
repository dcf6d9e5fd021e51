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
