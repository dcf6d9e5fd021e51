"""A programme full enough to load the pages with: ``shifts`` shifts (five posts in parallel time
slots twelve hours apart, starting tomorrow) and ``assignments`` assignments (each volunteer on
up to four shifts), written in bulk; a coordinator and a volunteer with session tokens.

Used by the query-count test (tests/engine/web/test_queries.py) and by bench/pages.py."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text

EXAMPLE = Path(__file__).parents[1] / "examples" / "community.yaml"
PID = "haibin-2026"
POSTS = 5


@dataclass
class Loaded:
    coordinator_token: str
    volunteer_token: str
    shifts: int
    assignments: int


def programme_text() -> str:
    year = dt.date.today().year
    return EXAMPLE.read_text(encoding="utf-8").replace(
        "period: {start: 2026-01-01, end: 2026-12-31}", f"period: {{start: {year}-01-01, end: {year + 1}-12-31}}")


def populate(eng: Any, *, shifts: int = 50, assignments: int = 2000) -> Loaded:
    from engine.auth.service import _token_hash, hash_password
    from engine.stages.design.models import Post, Project, Shift
    from engine.stages.recruitment.models import Enrolment, Volunteer, id_number_index
    from engine.stages.service.models import Assignment
    from engine.store.models import ApiToken, RoleGrant, User

    eng.load(programme_text(), filename="community.yaml")
    now = dt.datetime.now(dt.UTC)
    first = (now + dt.timedelta(days=1)).replace(hour=1, minute=0, second=0, microsecond=0)
    slots = -(-shifts // POSTS)
    per_volunteer = min(4, slots)
    n_vol = max(-(-assignments // per_volunteer), 1)
    tokens = {"coord": secrets.token_urlsafe(32), "vol": secrets.token_urlsafe(32)}
    pw = hash_password("load-password-1")
    with eng.db.engine.begin() as c:
        def bulk(model: Any, rows: list[dict[str, Any]]) -> None:
            for i in range(0, len(rows), 2000):
                c.execute(insert(model), rows[i:i + 2000])

        bulk(User, [{"id": 1, "username": "coord-load", "display_name": "协调员", "password_hash": pw},
                    {"id": 2, "username": "vol-load", "display_name": "志愿者1", "password_hash": pw}])
        bulk(RoleGrant, [{"user_id": 1, "programme_id": PID, "role": "coordinator"},
                         {"user_id": 2, "programme_id": PID, "role": "volunteer"}])
        bulk(ApiToken, [{"user_id": uid, "token_hash": _token_hash(tokens[k]), "expires_at": now + dt.timedelta(days=1)}
                        for uid, k in ((1, "coord"), (2, "vol"))])
        bulk(Project, [{"id": k + 1, "programme_id": PID, "name": f"项目{k + 1}", "kind": "daily"} for k in range(POSTS)])
        bulk(Post, [{"id": k + 1, "programme_id": PID, "project_id": k + 1, "name": f"岗位{k + 1}", "capacity": 40,
                     "category": "elderly_care", "skills": ["陪伴聊天"], "languages": [], "qualifications": [],
                     "required_courses": []} for k in range(POSTS)])
        bulk(Shift, [{"id": i + 1, "programme_id": PID, "post_id": i % POSTS + 1,
                      "starts_at": first + dt.timedelta(hours=12 * (i // POSTS)),
                      "ends_at": first + dt.timedelta(hours=12 * (i // POSTS) + 4), "capacity": 40,
                      "place": f"海滨一路 {i % POSTS + 1} 栋", "checkin_code": secrets.token_hex(8)}
                     for i in range(shifts)])
        bulk(Volunteer, [{"id": v + 1, "name": f"志愿者{v + 1}", "gender": ("male", "female")[v % 2],
                          "birth_date": dt.date(1970 + v % 30, 1 + v % 12, 1 + v % 28),
                          "id_number": f"4408{v:014d}",
                          "id_number_index": id_number_index(f"4408{v:014d}"), "user_id": 2 if v == 0 else None, "skills": ["陪伴聊天"],
                          "languages": [], "qualifications": []} for v in range(n_vol)])
        bulk(Enrolment, [{"programme_id": PID, "volunteer_id": v + 1, "source": "self"} for v in range(n_vol)])
        rows = []
        for v in range(n_vol):
            for k in range(per_volunteer):
                slot = (v + k) % slots
                sid = slot * POSTS + v % POSTS + 1
                if sid <= shifts and len(rows) < assignments:
                    rows.append({"programme_id": PID, "shift_id": sid, "volunteer_id": v + 1, "status": "assigned",
                                 "assigned_by": "load"})
        bulk(Assignment, rows)
        if c.dialect.name == "postgresql":
            for table in ("users", "volunteers", "projects", "posts", "shifts"):
                c.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), 100000)"))
    return Loaded(tokens["coord"], tokens["vol"], shifts, len(rows))
