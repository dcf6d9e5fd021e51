"""examples/community.yaml runs from needs to rewards with the sample data of
examples/data/community/plan.yaml, through the stage services and the lifecycle's guards.

Hand computation of the points (seed 001 §1(一)(三); the example maps elderly_care and cleaning to
routine = 1 an hour, tutoring to professional = 2, emergency to high-risk = 3):

=========  ==========================================  =================================
who        services                                    points
=========  ==========================================  =================================
李秀英     visit 3 h ★5, cleaning 2 h                  3 + 0.30 + 2 + 5 first = 10.30
陈志强     cleaning 2 h, flood escort 4 h              2 + 12 + 5 first = 19.00
黄小梅     tutoring 1.5 h                              3 + 5 first = 8.00
林建国     visit 3 h ★5, cleaning 2 h, escort 4 h      3 + 0.30 + 2 + 12 + 5 first = 22.30
=========  ==========================================  =================================

李秀英 then brings 45 points from 椰林社区 (rate 1) and redeems a gym hour: 10.30 + 45 − 50 = 5.30.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from community_helpers import EXAMPLE
from ruamel.yaml import YAML
from sqlalchemy import select

from engine.stages.design import service as design
from engine.stages.design.schemas import PostIn, ProjectIn, ShiftIn
from engine.stages.needs import service as needs
from engine.stages.needs.schemas import NeedIn
from engine.stages.records.service import verify_records
from engine.stages.recruitment import applications
from engine.stages.recruitment.schemas import VolunteerIn
from engine.stages.recruitment.service import register_volunteer
from engine.stages.rewards import service as rewards
from engine.stages.rewards.ledger import balance_drift, balance_of
from engine.stages.rewards.models import CatalogueItem
from engine.stages.service import checkin, roster
from engine.stages.training import service as training
from engine.stages.training.schemas import CourseIn
from plugins.community import network, timebank
from plugins.community.report import sections

D = Decimal
DATA = Path(EXAMPLE).parent / "data" / "community" / "plan.yaml"
STAFF = frozenset({"coordinator"})
EXPECTED = {"李秀英": D("10.30"), "陈志强": D("19.00"), "黄小梅": D("8.00"), "林建国": D("22.30")}


def fire_lifecycle(eng, s, prog, trigger: str) -> None:  # type: ignore[no-untyped-def]
    result = eng.workflows.fire(s, prog, eng.lifecycle(s, prog), trigger, actor="coord1", roles=STAFF)
    assert result.ok, (trigger, result.reasons)


def test_the_example_runs_from_needs_to_rewards(eng) -> None:
    data = YAML(typ="safe").load(DATA.read_text(encoding="utf-8"))
    prog = eng.load(EXAMPLE)
    host = eng.host
    tz = prog.config.tz
    with eng.session() as s:
        # 1 采集需求 needs
        need_ids = {}
        for n in data["needs"]:
            fields = {k: v for k, v in n.items() if k != "key"}
            need_ids[n["key"]] = needs.create_need(s, prog, host, NeedIn(**fields), actor="coord1").id
        fire_lifecycle(eng, s, prog, "start_design")

        # 2 设计项目 projects, posts, shifts
        posts = {}
        for p in data["projects"]:
            project = design.create_project(s, prog, ProjectIn(name=p["name"], kind=p["kind"], node=p["node"],
                                                              need_ids=[need_ids[k] for k in p["needs"]]), actor="coord1")
            for post in p["posts"]:
                posts[post["name"]] = design.create_post(s, prog, project.id, PostIn(**post), actor="coord1")
        shifts = []
        for sh in data["shifts"]:
            start = dt.datetime.fromisoformat(sh["start"])
            row = design.create_shift(s, prog, posts[sh["post"]].id, ShiftIn(
                starts_at=start, ends_at=start + dt.timedelta(minutes=sh["minutes"])), actor="coord1")
            shifts.append((row, sh))
        fire_lifecycle(eng, s, prog, "open_recruitment")

        # 3 招募注册 volunteers: register, apply, screen, offer, agreement, activate
        vols = {}
        for v in data["volunteers"]:
            vols[v["name"]] = register_volunteer(s, prog, VolunteerIn(**v), actor="coord1",
                                                 on=dt.date(2026, 2, 1)).volunteer
        wanted = {(sh["post"], who) for _, sh in shifts for who in sh["who"]}
        for post_name, who in sorted(wanted):
            app, _, _ = applications.apply(s, prog, host, vols[who], posts[post_name].id, actor="coord1",
                                           on=dt.date(2026, 2, 1))
            for trigger in ("screen", "offer"):
                assert applications.fire(s, prog, host, app, trigger, actor="coord1", roles=STAFF, own=False).ok
            applications.record_agreement(s, prog, app, signed_on=dt.date(2026, 2, 10), actor="coord1")
            for trigger in ("agree", "activate"):
                assert applications.fire(s, prog, host, app, trigger, actor="coord1", roles=STAFF, own=False).ok
        fire_lifecycle(eng, s, prog, "start_training")

        # 4 组织培训 the junior tier (seed 001 §2(二)), completed by everyone
        for c in data["courses"]:
            course = training.create_course(s, prog, CourseIn(**c), actor="coord1")
            for vol in vols.values():
                training.record_completion(s, prog, course.id, vol.id, dt.date(2026, 2, 20), actor="coord1")
        assignments = []
        for row, sh in shifts:
            for who in sh["who"]:
                a = roster.assign(s, prog, host, row.id, vols[who].id, actor="coord1",
                                  now=row.starts_at - dt.timedelta(days=3))
                assignments.append((a, row, sh))
        fire_lifecycle(eng, s, prog, "start_service")

        # 5 开展服务 check in and out (the beneficiary's rating at check-out)
        for a, row, sh in assignments:
            checkin.check_in(s, prog, a.id, actor="coord1", at=row.starts_at)
            checkin.check_out(s, prog, host, a.id, actor="coord1", at=row.ends_at, rating=sh.get("rating"))
        fire_lifecycle(eng, s, prog, "finish_service")

        # 6 记录台账 verify every record; the points are written as each is verified
        verify_records(s, prog, host, None, actor="coord1", all_pending=True)
        fire_lifecycle(eng, s, prog, "grant_rewards")
        for name, points in EXPECTED.items():
            assert balance_of(s, prog.id, vols[name].id, "points") == points, name

        # 7 激励嘉许 time bank and a redemption
        for t in data["time_bank"]:
            timebank.inbound(eng.host.context(s, prog, actor="coord1"), partner=t["partner"], source_ref=t["source_ref"], volunteer_id=vols[t["volunteer"]].id, amount=D(t["amount"]), earned_on=dt.date.fromisoformat(t["earned_on"]))
        for r in data["redemptions"]:
            item = s.scalars(select(CatalogueItem).where(CatalogueItem.programme_id == prog.id,
                                                         CatalogueItem.code == r["item"])).one()
            row = rewards.redeem(s, prog, host, vols[r["volunteer"]].id, item.id, actor="coord1")
            for trigger in ("approve", "fulfil"):
                assert rewards.fire_redemption(s, prog, host, row.id, trigger, actor="coord1", roles=STAFF).ok
        # 10.30 + 45 − 50
        assert balance_of(s, prog.id, vols["李秀英"].id, "points") == D("5.30")
        assert balance_drift(s, prog.id) == []

        # the report: points issued and redeemed, hours by grid (visits g1, tutoring g2, cleaning g1-b1 → g1,
        # the flood escort at the station)
        points, stars, hours = sections(s, prog)
        assert points.figures["积分发放 points issued"] == sum(EXPECTED.values(), D(0)) == D("59.60")
        assert points.figures["积分兑换 points redeemed"] == D(50)
        assert points.figures["时间银行净转入 time bank net in"] == D(45)
        assert network.minutes_by_grid(s, prog.id) == {"g1": 6 * 60 + 6 * 60, "g2": 90, network.UNASSIGNED: 8 * 60}
        assert ["grid 网格", "第一网格分站（海滨一路）", 12.0] in hours.rows
        assert stars.figures["骨干志愿者 backbone volunteers"] == 0  # nobody near 48 h yet
        assert all(sh.starts_at.astimezone(tz).year == 2026 for sh, _ in shifts)
