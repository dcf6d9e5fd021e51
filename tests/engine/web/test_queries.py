"""No N+1 on the pages: a page runs the same number of SQL statements for a small programme and
for one with four times the shifts and assignments."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import event
from web_load import PID, populate

from engine.http.app import create_app
from engine.testing import LiveServer, temp_engine

STAFF_PAGES = ["", "/roster", "/live", "/records", "/applications", "/design", "/reports", "/needs", "/incidents"]
VOLUNTEER_PAGES = ["/me", "/me/shifts", "/opportunities", "/rewards", "/me/records"]


def _counts(tmp_path, shifts: int, assignments: int) -> dict[str, int]:
    import vol_plan_demo

    with temp_engine(tmp_path, plugins=[("demo", vol_plan_demo)]) as eng:
        loaded = populate(eng, shifts=shifts, assignments=assignments)
        statements: list[str] = []
        event.listen(eng.db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
        out = {}
        with LiveServer(create_app(eng)) as server:
            for who, token, pages in (("staff", loaded.coordinator_token, STAFF_PAGES),
                                      ("volunteer", loaded.volunteer_token, VOLUNTEER_PAGES)):
                with httpx.Client(base_url=server.url, cookies={"ve_token": token}, timeout=60) as c:
                    c.get(f"/p/{PID}{pages[0]}")  # warm the programme cache
                    for page in pages:
                        statements.clear()
                        r = c.get(f"/p/{PID}{page}")
                        assert r.status_code == 200, (page, r.text[-500:])
                        out[f"{who}:{page or '/'}"] = len(statements)
        return out


@pytest.mark.parametrize("scale", [4])
def test_pages_do_not_query_per_row(tmp_path, scale: int) -> None:
    small = _counts(tmp_path / "small", shifts=10, assignments=100)
    large = _counts(tmp_path / "large", shifts=10 * scale, assignments=100 * scale)
    grew = {page: (small[page], large[page]) for page in small if large[page] != small[page]}
    assert not grew, f"statements per page grew with the data (small, large): {grew}"
    assert max(small.values()) <= 40, small  # a handful each (the report page runs one aggregate per section)
