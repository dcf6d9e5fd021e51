"""Appeals (seed 001 §1(三): a board reviews disputed points each quarter) and dismissal (seed 003
附件4 第五条: four grounds, evidence, a decision)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from community_helpers import local

from engine.errors import Conflict, Forbidden, InvalidInput
from engine.stages.design.models import Post
from engine.stages.recruitment.eligibility import check_eligibility
from plugins.community import appeals, dismissal
from plugins.community.years import period_of

D = Decimal
BOARD = frozenset({"review_board"})


def award_of(town, s, v):  # type: ignore[no-untyped-def]
    return town.entries(s, v, kind="award")[0]


@pytest.mark.parametrize(("day", "months", "label", "due"), [
    (dt.date(2026, 1, 1), 3, "2026Q1", dt.date(2026, 3, 31)),
    (dt.date(2026, 3, 31), 3, "2026Q1", dt.date(2026, 3, 31)),
    (dt.date(2026, 4, 1), 3, "2026Q2", dt.date(2026, 6, 30)),
    (dt.date(2026, 12, 31), 3, "2026Q4", dt.date(2026, 12, 31)),
    (dt.date(2026, 2, 10), 1, "2026M02", dt.date(2026, 2, 28)),
    (dt.date(2026, 8, 1), 6, "2026H2", dt.date(2026, 12, 31)),
    (dt.date(2026, 8, 1), 12, "2026", dt.date(2026, 12, 31)),
])
def test_review_periods(day: dt.date, months: int, label: str, due: dt.date) -> None:
    assert period_of(day, months) == (label, due)


def test_an_appeal_corrected_by_the_board(eng, town) -> None:
    with eng.session() as s:
        v = town.volunteer(s)
        town.serve(s, v, local(2025, 5, 10, 9), 180, "professional")  # 3 h × 2 = 6, + 5 first service
        entry = award_of(town, s, v)
        row = appeals.file_appeal(eng.host.context(s, town.prog, actor="vol1", now=local(2025, 5, 20, 9)), entry_id=entry.id, volunteer_id=v.id, reason="防汛转移属高风险服务 flood evacuation is high-risk", claimed_amount=D(9))
        assert (row.period, row.review_by) == ("2025Q2", dt.date(2025, 6, 30))
        assert appeals.fire(eng.host.context(s, town.prog, actor="board1", roles=BOARD), row.id, "review").ok
        refused = appeals.fire(eng.host.context(s, town.prog, actor="board1", roles=BOARD), row.id, "correct", payload={"note": "核实为防汛 verified"})
        assert not refused.ok and "corrected_amount" in refused.reasons[0]
        done = appeals.fire(eng.host.context(s, town.prog, actor="board1", roles=BOARD), row.id, "correct", payload={"note": "核实为防汛转移 verified", "corrected_amount": "9.00"})
        assert done.ok and done.instance.state == "corrected"
        # 6 + 5 = 11; corrected: +9, then −6 reversing the entry → 14 (lifetime the same)
        assert town.points(s, v) == D("14.00") == town.points(s, v, "lifetime_points")
        kinds = [(e.kind, e.amount) for e in town.entries(s, v)][-2:]
        assert kinds == [("correction", D("9.00")), ("reversal", D("-6.00"))]
        assert row.decision == "corrected" and row.corrected_amount == D(9) and len(row.correction_entries) == 4
        with pytest.raises(Conflict):
            appeals.file_appeal(eng.host.context(s, town.prog, actor="vol1"), entry_id=entry.id, volunteer_id=v.id, reason="again")


def test_an_appeal_upheld_with_a_reason_and_not_by_the_appellant(eng, town) -> None:
    from engine.store.models import User

    with eng.session() as s:
        user = User(username="li", display_name="李阿姨", password_hash="x")
        s.add(user)
        s.flush()
        v = town.volunteer(s, user_id=user.id)
        town.serve(s, v, local(2025, 5, 10, 9), 60)
        row = appeals.file_appeal(eng.host.context(s, town.prog, actor="li"), entry_id=award_of(town, s, v).id, volunteer_id=v.id, reason="时长少算 hours too low")
        appeals.fire(eng.host.context(s, town.prog, actor="board1", roles=BOARD), row.id, "review")
        own = appeals.fire(eng.host.context(s, town.prog, actor="li", roles=BOARD), row.id, "uphold", payload={"note": "ok"})
        assert not own.ok and any("自己的申诉" in r for r in own.reasons)
        bare = appeals.fire(eng.host.context(s, town.prog, actor="board1", roles=BOARD), row.id, "uphold")
        assert not bare.ok and "note" in bare.reasons[0]
        assert appeals.fire(eng.host.context(s, town.prog, actor="board1", roles=BOARD), row.id, "uphold", payload={"note": "签到记录为 1 小时 check-in shows 1 h"}).ok
        assert row.decision == "upheld" and town.points(s, v) == D("6.00")


def test_what_may_not_be_appealed(eng, town) -> None:
    with eng.session() as s:
        v, w = town.volunteer(s), town.volunteer(s, "王")
        town.serve(s, v, local(2025, 5, 10, 9), 60)
        entry = award_of(town, s, v)
        with pytest.raises(Forbidden):
            appeals.file_appeal(eng.host.context(s, town.prog, actor="w"), entry_id=entry.id, volunteer_id=w.id, reason="x")
        with pytest.raises(InvalidInput):
            appeals.file_appeal(eng.host.context(s, town.prog, actor="v"), entry_id=entry.id, volunteer_id=v.id, reason=" ")


# ------------------------------------------------------------------ dismissal
def test_the_four_grounds_of_the_document() -> None:
    assert list(dismissal.GROUNDS) == ["repeated_refusal", "serious_breach", "harm_to_beneficiaries", "profiteering"]
    assert dismissal.GROUNDS["profiteering"][0].startswith("（四）利用志愿者的名义从事营利性活动")


def test_a_dismissal_needs_evidence_a_ground_and_a_reasoned_decision(eng, town) -> None:
    admin = frozenset({"admin"})
    with eng.session() as s:
        v = town.volunteer(s)
        with pytest.raises(InvalidInput):
            dismissal.propose(eng.host.context(s, town.prog, actor="a"), volunteer_id=v.id, ground="rude", description="x")
        case = dismissal.propose(eng.host.context(s, town.prog, actor="coord1"), volunteer_id=v.id, ground="repeated_refusal", description="三次无故缺席 three unexplained absences")
        with pytest.raises(Conflict):
            dismissal.propose(eng.host.context(s, town.prog, actor="coord1"), volunteer_id=v.id, ground="serious_breach", description="x")
        r = dismissal.fire(eng.host.context(s, town.prog, actor="coord1", roles=admin), case.id, "review")
        assert not r.ok and "证据" in r.reasons[0]
        town.no_show(s, v, local(2025, 5, 1, 9))
        town.no_show(s, v, local(2025, 5, 8, 9))
        dismissal.add_evidence(s, town.prog, case.id, kind="refusal", description="拒绝排班 refused the roster",
                               actor="coord1")
        assert dismissal.fire(eng.host.context(s, town.prog, actor="coord1", roles=admin), case.id, "review").ok
        r = dismissal.fire(eng.host.context(s, town.prog, actor="admin1", roles=admin), case.id, "dismiss", payload={"note": "多次无故缺席"})
        assert r.ok  # two no-shows + one refusal = 3 (rules.dismissal.min_refusals)
        assert case.decision == "dismissed" and dismissal.is_dismissed(s, town.prog.id, v.id)
        post = Post(programme_id=town.prog.id, project_id=town.project(s).id, name="探访员")
        s.add(post)
        s.flush()
        reasons = check_eligibility(s, town.prog, eng.host, v, post, dt.date(2025, 6, 1))
        assert any("劝退" in r for r in reasons)
        with pytest.raises(Conflict):
            dismissal.add_evidence(s, town.prog, case.id, kind="document", description="late", actor="coord1")
        assert dismissal.fire(eng.host.context(s, town.prog, actor="admin1", roles=admin), case.id, "report_upstream", payload={"note": "情节加重", "to": "区志愿服务联合会"}).ok
        assert case.reported_to == "区志愿服务联合会"


def test_repeated_refusal_needs_the_minimum_number_of_refusals(eng, town) -> None:
    admin = frozenset({"admin"})
    with eng.session() as s:
        v = town.volunteer(s)
        case = dismissal.propose(eng.host.context(s, town.prog, actor="coord1"), volunteer_id=v.id, ground="repeated_refusal", description="缺席 absences")
        dismissal.add_evidence(s, town.prog, case.id, kind="refusal", description="一次 once", actor="coord1")
        dismissal.fire(eng.host.context(s, town.prog, actor="coord1", roles=admin), case.id, "review")
        r = dismissal.fire(eng.host.context(s, town.prog, actor="admin1", roles=admin), case.id, "dismiss", payload={"note": "x 多次"})
        assert not r.ok and "至少 3 次" in r.reasons[0]
        assert dismissal.fire(eng.host.context(s, town.prog, actor="admin1", roles=admin), case.id, "clear", payload={"note": "证据不足 not enough"}).ok
        assert case.decision == "cleared" and not dismissal.is_dismissed(s, town.prog.id, v.id)
