"""The community API over HTTP: roles, a volunteer reaching only their own data, appeals through the
board, the yearly reset, the time bank, and 404 for programmes of other plan types."""

from __future__ import annotations

from decimal import Decimal

import pytest
from community_helpers import Town, load, local
from sqlalchemy import select

from engine.store.models import User
from tests.conftest import make_users

ROLES = {"admin": "admin1", "coordinator": "coord1", "volunteer": "vol1", "review_board": "board1"}


@pytest.fixture
def site(eng, api):  # type: ignore[no-untyped-def]
    prog = load(eng)
    make_users(eng, prog.id, ROLES)
    with eng.session() as s:
        u2 = eng.auth.create_user(s, "vol2", "correct-horse-42")
        eng.auth.grant(s, u2, prog.id, "volunteer", known_roles=set(prog.config.roles))
    town = Town(eng, prog)
    with eng.session() as s:
        uid = s.scalar(select(User.id).where(User.username == "vol1"))
        li = town.volunteer(s, "李阿姨", user_id=uid)
        wang = town.volunteer(s, "王叔叔", user_id=u2.id)
        town.serve(s, li, local(2025, 5, 10, 9), 180, "professional", rating=5)  # 6 + 0.6 + 5
        town.serve(s, wang, local(2025, 5, 10, 9), 60)
        ids = (li.id, wang.id, town.entries(s, li, kind="award")[0].id)
    return prog, ids


def test_a_volunteer_sees_only_their_own_standing(api, site) -> None:
    prog, (_, wang, _) = site
    vol = api.as_("vol1")
    base = f"/programmes/{prog.id}/community"
    r = vol.get(f"{base}/standing")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["name"] == "李阿姨" and Decimal(body["points"]) == Decimal("11.60") and body["services"] == 1
    assert vol.get(f"{base}/standing/{wang}").status_code == 403
    assert api.as_("coord1").get(f"{base}/standing/{wang}").json()["name"] == "王叔叔"
    assert vol.get(f"{base}/backbone").status_code == 403
    assert api.as_("coord1").get(f"{base}/network").json() == {"network": None}


def test_an_appeal_through_the_board_over_http(api, site) -> None:
    prog, (_, _, entry_id) = site
    base = f"/programmes/{prog.id}/community"
    vol, other, board = api.as_("vol1"), api.as_("vol2"), api.as_("board1")
    assert other.post(f"{base}/appeals", json={"entry_id": entry_id, "reason": "不是我的"}).status_code == 403
    r = vol.post(f"{base}/appeals", json={"entry_id": entry_id, "reason": "应为高风险服务 high-risk", "claimed_amount": "9"})
    assert r.status_code == 201, r.text
    appeal = r.json()
    assert other.get(f"{base}/appeals").json() == []
    assert [a["id"] for a in board.get(f"{base}/appeals", params={"period": appeal["period"]}).json()] == [appeal["id"]]
    assert other.post(f"{base}/appeals/{appeal['id']}/fire", json={"trigger": "withdraw"}).status_code == 403
    # the generic workflow endpoints ask the plugin who may see an appeal: the appellant and the board
    inst = api.as_("admin1").get(f"/programmes/{prog.id}/instances", params={"workflow": "appeal"}).json()[0]["id"]
    assert vol.get(f"/programmes/{prog.id}/instances/{inst}").status_code == 200
    assert board.get(f"/programmes/{prog.id}/instances/{inst}").status_code == 200
    assert other.get(f"/programmes/{prog.id}/instances/{inst}").status_code == 403
    assert board.post(f"{base}/appeals/{appeal['id']}/fire", json={"trigger": "review"}).status_code == 200
    r = board.post(f"{base}/appeals/{appeal['id']}/fire", json={"trigger": "correct", "payload": {"note": "核实"}})
    assert r.status_code == 422 and "corrected_amount" in r.text
    r = board.post(f"{base}/appeals/{appeal['id']}/fire",
                   json={"trigger": "correct", "payload": {"note": "核实 verified", "corrected_amount": "9"}})
    assert r.status_code == 200 and r.json()["decision"] == "corrected"
    # 11.60 − 6 + 9 = 14.60
    assert Decimal(vol.get(f"{base}/standing").json()["points"]) == Decimal("14.60")


def test_reset_and_time_bank_roles(api, site) -> None:
    prog, (li, wang, _) = site
    base = f"/programmes/{prog.id}/community"
    coord, admin, vol = api.as_("coord1"), api.as_("admin1"), api.as_("vol1")
    assert coord.post(f"{base}/resets", json={"year": 2026}).status_code == 403
    r = admin.post(f"{base}/resets", json={"year": 2026})
    assert r.status_code == 200 and r.json()["ran_now"] and r.json()["volunteers"] == 2
    assert admin.post(f"{base}/resets", json={"year": 2026}).json()["ran_now"] is False
    assert Decimal(vol.get(f"{base}/standing").json()["points"]) == 0
    r = vol.post(f"{base}/time-bank/transfers", json={"to_volunteer": wang, "amount": "1"})
    assert r.status_code == 409  # nothing left to give after the reset
    r = vol.post(f"{base}/time-bank/inbound", json={"partner": "x", "source_ref": "1", "volunteer_id": li, "amount": 1})
    assert r.status_code == 403
    r = coord.post(f"{base}/time-bank/inbound", json={"partner": "x", "source_ref": "1", "volunteer_id": li, "amount": 1})
    assert r.status_code == 404 and "partner" in r.text


def test_other_plan_types_have_no_community_routes(eng, api, demo) -> None:
    make_users(eng, demo.id)
    r = api.as_("coord1").get(f"/programmes/{demo.id}/community/network")
    assert r.status_code == 404 and "not community" in r.text
