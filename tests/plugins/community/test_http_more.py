"""The rest of the community API over HTTP: mentoring, dismissal cases, nominations, the time bank's
views, resets and the backbone list."""

from __future__ import annotations

import datetime as dt

import pytest
from community_helpers import Town, load, local
from sqlalchemy import select

from engine.store.models import User
from engine.testing import frozen_clock
from plugins.community import backbone
from plugins.community.reset import due_year
from tests.conftest import make_users

ROLES = {"admin": "admin1", "coordinator": "coord1", "volunteer": "vol1"}
RULES = """
time_bank:
  partners: [{code: yelin, name: 椰林社区, rate: 1, max_balance: 30}]
"""


@pytest.fixture
def site(eng, api, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    now = local(2025, 8, 1, 10).astimezone(dt.UTC)
    monkeypatch.setattr(backbone, "utcnow", lambda: now)  # the current community year is 2025
    with frozen_clock(now):  # ... for the facade's ctx.now as well
        prog = load(eng, RULES)
        make_users(eng, prog.id, ROLES)
        town = Town(eng, prog)
        with eng.session() as s:
            uid = s.scalar(select(User.id).where(User.username == "vol1"))
            li = town.volunteer(s, "李阿姨", user_id=uid)
            wang, zhao = town.volunteer(s, "小王"), town.volunteer(s, "小赵")
            for i in range(12):  # 48 h in 2025
                town.serve(s, li, local(2025, 1, 4, 8) + dt.timedelta(days=7 * i), 240)
            town.serve(s, zhao, local(2025, 2, 1, 9), 60)
            ids = li.id, wang.id, zhao.id
        yield prog, ids


def test_mentoring_backbone_and_nominations(api, site) -> None:
    prog, (li, wang, zhao) = site
    base = f"/programmes/{prog.id}/community"
    coord, vol = api.as_("coord1"), api.as_("vol1")
    assert vol.post(f"{base}/mentorships", json={"mentor_id": li, "mentee_id": wang}).status_code == 403
    r = coord.post(f"{base}/mentorships", json={"mentor_id": li, "mentee_id": wang})
    assert r.status_code == 201, r.text
    r2 = coord.post(f"{base}/mentorships", json={"mentor_id": zhao, "mentee_id": wang})
    assert r2.status_code == 409 and "不是骨干" in r2.text
    assert [m["status"] for m in coord.get(f"{base}/mentorships").json()] == ["open"]
    assert coord.post(f"{base}/mentorships/{r.json()['id']}/end").json()["status"] == "ended"
    listed = coord.get(f"{base}/backbone").json()
    assert listed["year"] == 2025 and [v["name"] for v in listed["volunteers"]] == ["李阿姨"]
    assert vol.get(f"{base}/standing").json()["backbone"] is True
    r = coord.post(f"{base}/stars/nominations", json={"volunteer_id": li, "stars": 5, "reason": "长期服务 long service"})
    assert r.status_code == 201 and r.json()["level"] is None  # 48 h: no star yet, nomination on file
    assert coord.post(f"{base}/stars/nominations", json={"volunteer_id": li, "stars": 9, "reason": "x y"}).status_code == 422
    assert [n["stars"] for n in coord.get(f"{base}/stars/nominations").json()] == [5]


def test_a_dismissal_case_over_http(api, site) -> None:
    prog, (li, _, _) = site
    base = f"/programmes/{prog.id}/community"
    coord, admin, vol = api.as_("coord1"), api.as_("admin1"), api.as_("vol1")
    r = coord.post(f"{base}/dismissals", json={"volunteer_id": li, "ground": "profiteering",
                                               "description": "以志愿者名义推销保健品 selling supplements"})
    assert r.status_code == 201, r.text
    case = r.json()
    assert case["ground_text"].startswith("（四）") and case["state"] == "proposed"
    assert vol.get(f"{base}/dismissals/{case['id']}").status_code == 200  # the person concerned may see it
    assert coord.post(f"{base}/dismissals/{case['id']}/fire", json={"trigger": "review"}).status_code == 422
    r = coord.post(f"{base}/dismissals/{case['id']}/evidence", json={"kind": "testimony", "description": "居民证言 residents"})
    assert r.status_code == 201 and len(r.json()["evidence"]) == 1
    assert coord.post(f"{base}/dismissals/{case['id']}/fire", json={"trigger": "review"}).json()["state"] == "under_review"
    assert coord.post(f"{base}/dismissals/{case['id']}/fire",
                      json={"trigger": "dismiss", "payload": {"note": "查实"}}).status_code == 403  # admin only
    r = admin.post(f"{base}/dismissals/{case['id']}/fire", json={"trigger": "dismiss", "payload": {"note": "查实 proven"}})
    assert r.status_code == 200 and r.json()["decision"] == "dismissed"
    assert vol.get(f"{base}/standing").json()["dismissed"] is True


def test_time_bank_and_resets_over_http(api, site) -> None:
    prog, (li, _, zhao) = site
    base = f"/programmes/{prog.id}/community"
    coord, admin, vol = api.as_("coord1"), api.as_("admin1"), api.as_("vol1")
    r = vol.post(f"{base}/time-bank/transfers", json={"to_volunteer": zhao, "amount": "5"})
    assert r.status_code == 201 and sorted(leg["amount"] for leg in r.json()["legs"]) == ["-5.00", "5.00"]
    r = coord.post(f"{base}/time-bank/outbound", json={"partner": "yelin", "volunteer_id": li, "amount": "20"})
    assert r.status_code == 201 and r.json()["source_ref"] == f"{prog.id}:{r.json()['id']}"
    r = coord.post(f"{base}/time-bank/outbound", json={"partner": "yelin", "volunteer_id": li, "amount": "11"})
    assert r.status_code == 409 and "上限" in r.text  # the partner's clearing account may hold at most 30
    view = coord.get(f"{base}/time-bank").json()
    assert view["partners"][0]["balance"] == "20.00" and view["unbalanced_transfers"] == []
    r = admin.post(f"{base}/resets", json={})  # the current community year's reset (it is due)
    assert r.status_code == 200 and r.json()["year"] == due_year(prog)
    assert [x["year"] for x in vol.get(f"{base}/resets").json()] == [due_year(prog)]
