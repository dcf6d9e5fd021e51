"""Helpers for the event tests of preferences, budget and reallocation: people agreed through the
unit funnel over HTTP, placed on posts, and logins linked to them."""

from __future__ import annotations

from typing import Any

from event_helpers import person
from sqlalchemy import select

from engine.sdk.tables import User, Volunteer


def agreed_people(api: Any, pid: str, names: list[str]) -> list[int]:
    """Candidate ids of people the 镇党政机关 unit registered and who signed the agreement."""
    ev = f"/programmes/{pid}/event"
    r = api.as_("liaison-gov").post(ev + "/units/gov/registrations", json={"people": [person(n) for n in names]})
    assert r.status_code == 201, r.text
    ids = r.json()["candidate_ids"]
    coord = api.as_("coord1")
    for cid in ids:
        assert coord.post(ev + f"/candidates/{cid}/agree").status_code == 200
    return ids


def place(api: Any, pid: str, cid: int, post_id: int) -> int:
    r = api.as_("coord1").post(f"/programmes/{pid}/event/candidates/{cid}/place",
                               json={"post_id": post_id, "signed_on": "2010-04-20"})
    assert r.status_code == 201, r.text
    return int(r.json()["volunteer_id"])


def project(api: Any, pid: str, name: str, node: str | None = None) -> int:
    r = api.as_("coord1").post(f"/programmes/{pid}/projects", json={"name": name, "kind": "periodic", "node": node})
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def post_with_shifts(api: Any, pid: str, project_id: int, name: str, times: list[tuple[str, str]],
                     capacity: int = 1, **extra: Any) -> tuple[int, list[int]]:
    coord, base = api.as_("coord1"), f"/programmes/{pid}"
    r = coord.post(base + f"/projects/{project_id}/posts", json={"name": name, "capacity": capacity, **extra})
    assert r.status_code == 201, r.text
    post = r.json()["id"]
    shifts = []
    for a, b in times:
        r = coord.post(base + f"/posts/{post}/shifts", json={"starts_at": a, "ends_at": b, "capacity": capacity})
        assert r.status_code == 201, r.text
        shifts.append(r.json()["id"])
    return post, shifts


def link(eng: Any, username: str, volunteer_id: int) -> None:
    with eng.session() as s:
        user = s.scalars(select(User).where(User.username == username)).one()
        s.get(Volunteer, volunteer_id).user_id = user.id
        s.commit()
