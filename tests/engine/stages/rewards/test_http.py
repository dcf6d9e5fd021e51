"""The rewards routes over real HTTP (the ``api`` fixture): who may do what, and what they see."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from engine.stages.records.models import ServiceRecord
from engine.stages.recruitment.models import Enrolment, Volunteer
from engine.store.models import User

PASSWORD = "correct-horse-42"
ROLES = {"admin1": "admin", "coord1": "coordinator", "super1": "supervisor", "vol1": "volunteer", "vol2": "volunteer"}


@pytest.fixture
def setup(eng, demo) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Accounts for each role; vol1 and vol2 are linked to Volunteer rows; one verified record for vol1."""
    ids: dict[str, Any] = {"pid": demo.id}
    with eng.session() as s:
        known = set(demo.config.roles)
        for n, (username, role) in enumerate(ROLES.items()):
            u = eng.auth.create_user(s, username, PASSWORD)
            eng.auth.grant(s, u, demo.id, role, known_roles=known)
            if role == "volunteer":
                v = Volunteer(name=f"志愿者{n}", gender="female", birth_date=dt.date(1995, 5, 5),
                              id_number=f"44030619950505{n:04d}", user_id=u.id)
                s.add(v)
                s.flush()
                s.add(Enrolment(programme_id=demo.id, volunteer_id=v.id, source="self"))
                ids[username] = v.id
        now = dt.datetime.now(dt.UTC)
        rec = ServiceRecord(programme_id=demo.id, volunteer_id=ids["vol1"], started_at=now - dt.timedelta(hours=2),
                            ended_at=now, minutes=120, category="routine", captured="coordinator", verified_by="coord1",
                            verified_at=now, created_by="coord1")
        s.add(rec)
        s.flush()
        ids["record"] = rec.id
        assert s.query(User).count() == len(ROLES)
    return ids


def _p(ids: dict[str, Any], path: str) -> str:
    return f"/programmes/{ids['pid']}{path}"


def _credit(c, ids, vid, amount, **kw):  # type: ignore[no-untyped-def]
    r = c.post(_p(ids, "/ledger"), json={"volunteer_id": vid, "amount": str(amount), "reason": "老带新结对 / mentoring",
                                         **kw})
    assert r.status_code == 201, r.text
    return r.json()


def test_ledger_and_balances_are_private_to_the_volunteer(api, setup):
    ids = setup
    coord, vol1, vol2 = api.as_("coord1"), api.as_("vol1"), api.as_("vol2")
    _credit(coord, ids, ids["vol1"], 100)
    _credit(coord, ids, ids["vol2"], 7, unit="credits", kind="award")
    mine = vol1.get(_p(ids, "/ledger")).json()
    assert [(e["volunteer_id"], e["amount"]) for e in mine] == [(ids["vol1"], "100.00")]
    assert vol1.get(_p(ids, f"/ledger?volunteer_id={ids['vol2']}")).status_code == 403
    everyone = coord.get(_p(ids, "/ledger")).json()
    assert {e["volunteer_id"] for e in everyone} == {ids["vol1"], ids["vol2"]}
    assert [e["unit"] for e in coord.get(_p(ids, "/ledger?unit=credits")).json()] == ["credits"]
    assert [e["kind"] for e in coord.get(_p(ids, "/ledger?kind=bonus")).json()] == ["bonus"]
    future = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat()
    assert coord.get(_p(ids, "/ledger"), params={"since": future}).json() == []
    assert coord.get(_p(ids, "/ledger"), params={"until": future}).json() != []
    assert vol1.get(_p(ids, "/balances")).json() == [{"volunteer_id": ids["vol1"], "unit": "points", "amount": "100.00"}]
    assert vol2.get(_p(ids, f"/balances/{ids['vol1']}")).status_code == 403
    assert coord.get(_p(ids, f"/balances/{ids['vol2']}")).json()[0]["unit"] == "credits"
    assert vol1.post(_p(ids, "/ledger"), json={"volunteer_id": ids["vol1"], "amount": "5", "reason": "x"}).status_code == 403
    assert coord.get(_p(ids, "/balances")).status_code == 422  # coord1 is not a volunteer: nothing of their own
    assert api.as_("admin1").get(_p(ids, "/ledger?volunteer_id=99999")).status_code == 404


def test_manual_credit_validates_and_is_idempotent_by_ref(api, setup):
    ids = setup
    coord = api.as_("coord1")
    r = coord.post(_p(ids, "/ledger"), json={"volunteer_id": ids["vol1"], "amount": "-5", "reason": "x"})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "body.amount"
    _credit(coord, ids, ids["vol1"], 10, ref="pairing-2026-01")
    r = coord.post(_p(ids, "/ledger"), json={"volunteer_id": ids["vol1"], "amount": "10", "reason": "x",
                                             "ref": "pairing-2026-01"})
    assert r.status_code == 409 and "pairing-2026-01" in r.json()["detail"]["message"]


def test_reversal_is_admin_only_with_a_reason_and_once(api, setup):
    ids = setup
    admin, coord = api.as_("admin1"), api.as_("coord1")
    entry = _credit(coord, ids, ids["vol1"], 40)
    assert coord.post(_p(ids, f"/ledger/{entry['id']}/reverse"), json={"reason": "录错"}).status_code == 403
    r = admin.post(_p(ids, f"/ledger/{entry['id']}/reverse"), json={"reason": ""})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "body.reason"
    r = admin.post(_p(ids, f"/ledger/{entry['id']}/reverse"), json={"reason": "录错 / wrong volunteer"})
    assert r.status_code == 201 and r.json()["amount"] == "-40.00" and r.json()["reverses_id"] == entry["id"]
    r = admin.post(_p(ids, f"/ledger/{entry['id']}/reverse"), json={"reason": "again"})
    assert r.status_code == 409 and "already reversed" in r.json()["detail"]["message"]
    assert admin.get(_p(ids, f"/balances/{ids['vol1']}")).json()[0]["amount"] == "0.00"


def test_catalogue_roles(api, setup):
    ids = setup
    coord, vol1 = api.as_("coord1"), api.as_("vol1")
    body = {"code": "voucher50", "title": "超市代金券 50 元", "cost": "100", "stock": 2}
    assert vol1.post(_p(ids, "/catalogue"), json=body).status_code == 403
    r = coord.post(_p(ids, "/catalogue"), json=body)
    assert r.status_code == 201 and r.json()["stock"] == 2
    item = r.json()["id"]
    assert coord.post(_p(ids, "/catalogue"), json=body).status_code == 409
    r = coord.post(_p(ids, "/catalogue"), json={**body, "code": "bad code!", "cost": "0"})
    assert r.status_code == 422 and {e["field"] for e in r.json()["detail"]["problems"]} == {"body.code", "body.cost"}
    assert coord.patch(_p(ids, f"/catalogue/{item}"), json={"unlimited": True}).json()["stock"] is None
    assert vol1.patch(_p(ids, f"/catalogue/{item}"), json={"active": False}).status_code == 403
    assert coord.patch(_p(ids, f"/catalogue/{item}"), json={"active": False}).json()["active"] is False
    assert vol1.get(_p(ids, "/catalogue")).json() == []
    assert vol1.get(_p(ids, "/catalogue?include_inactive=true")).json() == []
    assert [i["code"] for i in coord.get(_p(ids, "/catalogue?include_inactive=true")).json()] == ["voucher50"]


def test_redemption_over_http(api, setup):
    ids = setup
    coord, vol1, vol2 = api.as_("coord1"), api.as_("vol1"), api.as_("vol2")
    _credit(coord, ids, ids["vol1"], 150)
    item = coord.post(_p(ids, "/catalogue"), json={"code": "gym", "title": "健身房 1 小时", "cost": "50",
                                                    "stock": 5}).json()["id"]
    r = vol1.post(_p(ids, "/redemptions"), json={"item_id": item})
    assert r.status_code == 201 and r.json()["state"] == "requested" and r.json()["volunteer_id"] == ids["vol1"]
    red = r.json()["id"]
    assert vol1.post(_p(ids, "/redemptions"), json={"item_id": item, "volunteer_id": ids["vol2"]}).status_code == 403
    r = coord.post(_p(ids, "/redemptions"), json={"item_id": item, "volunteer_id": ids["vol2"]})
    assert r.status_code == 409
    assert "余额 0，兑换 健身房 1 小时需要 50" in r.json()["detail"]["message"]
    assert r.json()["detail"]["balance"] == "0" and r.json()["detail"]["cost"] == "50.00"
    assert vol1.post(_p(ids, f"/redemptions/{red}/fire"), json={"trigger": "approve"}).status_code == 403
    assert vol2.post(_p(ids, f"/redemptions/{red}/fire"), json={"trigger": "cancel"}).status_code == 403
    assert vol2.get(_p(ids, f"/redemptions/{red}")).status_code == 403
    assert vol2.get(_p(ids, "/redemptions")).json() == []
    assert [x["id"] for x in coord.get(_p(ids, "/redemptions")).json()] == [red]
    assert vol1.get(_p(ids, "/balances")).json()[0]["amount"] == "100.00"
    r = vol1.post(_p(ids, f"/redemptions/{red}/fire"), json={"trigger": "cancel"})
    assert r.status_code == 200 and r.json()["state"] == "cancelled"
    assert vol1.get(_p(ids, "/balances")).json()[0]["amount"] == "150.00"
    assert vol1.post(_p(ids, f"/redemptions/{red}/fire"), json={"trigger": "cancel"}).status_code == 409
    assert vol1.get(_p(ids, "/balances")).json()[0]["amount"] == "150.00"
    red2 = coord.post(_p(ids, "/redemptions"), json={"item_id": item, "volunteer_id": ids["vol1"]}).json()["id"]
    for trigger, state in (("approve", "approved"), ("fulfil", "fulfilled")):
        r = coord.post(_p(ids, f"/redemptions/{red2}/fire"), json={"trigger": trigger})
        assert r.status_code == 200 and r.json()["state"] == state
    kinds = [e["kind"] for e in vol1.get(_p(ids, "/ledger")).json()]
    assert kinds == ["redemption", "refund", "redemption", "bonus"]


def test_fifty_parallel_http_redemptions_for_a_balance_of_ten(api, setup, eng):
    ids = setup
    coord = api.as_("coord1")
    _credit(coord, ids, ids["vol1"], 100)
    item = coord.post(_p(ids, "/catalogue"), json={"code": "tea", "title": "茶饮券", "cost": "10"}).json()["id"]
    clients = [api.as_("vol1") for _ in range(5)]
    # On SQLite at most 30 requests are in flight at once: the write lock is taken at the first
    # query of a request (BEGIN IMMEDIATE, engine/store/db.py), while the request still needs worker
    # threads for its next dependencies; with all 40 of the server's workers waiting for that lock
    # it would time out after 30 s (see the report). PostgreSQL: all 50 at once.
    parallel = 50 if eng.db.engine.dialect.name == "postgresql" else 30
    barrier = threading.Barrier(parallel)

    def one(n: int) -> int:
        if n < parallel:
            barrier.wait()
        return clients[n % 5].post(_p(ids, "/redemptions"), json={"item_id": item}).status_code

    with ThreadPoolExecutor(max_workers=parallel) as pool:
        codes = list(pool.map(one, range(50)))
    assert codes.count(201) == 10 and codes.count(409) == 40, codes
    assert coord.get(_p(ids, f"/balances/{ids['vol1']}")).json()[0]["amount"] == "0.00"


def test_honours_and_levels(api, setup):
    ids = setup
    coord, vol1, sup = api.as_("coord1"), api.as_("vol1"), api.as_("super1")
    body = {"volunteer_id": ids["vol1"], "title": "优秀志愿者", "level": "community",
            "evidence": {"hours": 2, "record_ids": [ids["record"]], "nomination": "长期服务社区老人"}}
    assert vol1.post(_p(ids, "/honours"), json=body).status_code == 403
    assert sup.post(_p(ids, "/honours"), json=body).status_code == 403
    r = coord.post(_p(ids, "/honours"), json=body)
    assert r.status_code == 201 and r.json()["awarded_by"] == "coord1" and r.json()["evidence"]["record_ids"] == [ids["record"]]
    r = coord.post(_p(ids, "/honours"), json={**body, "volunteer_id": ids["vol2"]})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "evidence.record_ids"
    assert [h["title"] for h in vol1.get(_p(ids, "/honours")).json()] == ["优秀志愿者"]
    assert api.as_("vol2").get(_p(ids, "/honours")).json() == []
    assert len(sup.get(_p(ids, "/honours")).json()) == 1
    lv = vol1.get(_p(ids, f"/levels/{ids['vol1']}")).json()
    assert lv == {"volunteer_id": ids["vol1"], "hours": 0.0, "level_hours": 0.0, "level": None,
                  "next_level": "一星志愿者", "hours_to_next": 100.0, "top": False}
    assert vol1.get(_p(ids, f"/levels/{ids['vol2']}")).status_code == 403
    assert vol1.get(_p(ids, "/levels")).status_code == 403
    dist = coord.get(_p(ids, "/levels")).json()
    assert dist[0] == {"level": None, "min_hours": 0, "volunteers": 0} and len(dist) == 6
