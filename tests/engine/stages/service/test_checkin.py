"""Check-in and check-out: idempotent under retries and races, minutes floored, the opening window,
and forgotten check-outs closed, flagged and not counted until a coordinator confirms them."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from sqlalchemy import func, select
from svc_helpers import T0, minutes
from tests_support import make_users

from engine.errors import Conflict, Forbidden, NotFound
from engine.stages.records import service as records
from engine.stages.records.models import ServiceRecord
from engine.stages.service import checkin, roster
from engine.stages.service.models import Checkin

BEFORE = T0 - dt.timedelta(days=1)


def rostered(eng: Any, prog: Any, site: Any, s: Any, *, user_id: int | None = None, length: int = 240) -> Any:
    post = site.post(s, site.project(s), category="professional")
    sh = site.shift(s, post, T0, length)
    v = site.ready(s, post, user_id=user_id)
    return roster.assign(s, prog, eng.host, sh.id, v.id, actor="coord1", now=BEFORE), sh


def count(s: Any, model: Any) -> int:
    return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_checkin_twice_one_row_one_record(eng: Any, prog: Any, site: Any) -> None:
    with eng.session() as s:
        a, sh = rostered(eng, prog, site, s)
        first, created = checkin.check_in(s, prog, a.id, actor="coord1", now=T0 - minutes(5))
        again, created_again = checkin.check_in(s, prog, a.id, actor="coord1", now=T0)
        assert (created, created_again, again.id) == (True, False, first.id)
        assert again.checked_in_at == T0 - minutes(5)  # the first time stands
        out, closed = checkin.check_out(s, prog, eng.host, a.id, actor="coord1", now=T0 + minutes(240))
        out2, closed2 = checkin.check_out(s, prog, eng.host, a.id, actor="coord1", now=T0 + minutes(241))
        assert (closed, closed2, out2.record_id) == (True, False, out.record_id)
        assert count(s, Checkin) == 1 and count(s, ServiceRecord) == 1
        rec = s.get(ServiceRecord, out.record_id)
        assert (rec.minutes, rec.captured, rec.category, rec.verified_at, rec.shift_id) == (
            245, "checkin", "professional", None, sh.id)


def test_minutes_floor(eng: Any, prog: Any, site: Any) -> None:
    """09:00:00 → 12:59:59 is 239 whole minutes (floored), not 240."""
    with eng.session() as s:
        a, _ = rostered(eng, prog, site, s)
        checkin.check_in(s, prog, a.id, actor="coord1", now=T0)
        ci, _ = checkin.check_out(s, prog, eng.host, a.id, actor="coord1", now=T0 + dt.timedelta(seconds=14399))
        assert ci.minutes == 239
        assert s.get(ServiceRecord, ci.record_id).minutes == 239


def test_window_opens_before_start(eng: Any, prog: Any, site: Any) -> None:
    """checkin_opens_minutes_before = 30: 08:29 refused, 08:30 accepted."""
    with eng.session() as s:
        a, _ = rostered(eng, prog, site, s)
        with pytest.raises(Conflict, match="check-in opens at"):
            checkin.check_in(s, prog, a.id, actor="coord1", now=T0 - minutes(31))
        ci, created = checkin.check_in(s, prog, a.id, actor="coord1", now=T0 - minutes(30))
        assert created and ci.checked_in_at == T0 - minutes(30)


def test_checkin_after_end_refused(eng: Any, prog: Any, site: Any) -> None:
    with eng.session() as s:
        a, sh = rostered(eng, prog, site, s)
        with pytest.raises(Conflict, match="check-in is closed"):
            checkin.check_in(s, prog, a.id, actor="coord1", now=sh.ends_at + minutes(1))


def test_code_checkin_needs_the_rostered_volunteer(eng: Any, prog: Any, site: Any) -> None:
    make_users(eng, prog.id)
    with eng.session() as s:
        vol_user = eng.auth.user(s, "vol1")
        other = eng.auth.user(s, "leader1")
        a, sh = rostered(eng, prog, site, s, user_id=vol_user.id)
        with pytest.raises(NotFound, match="check-in code"):
            checkin.check_in_by_code(s, prog, vol_user.id, "nope", actor="vol1", now=T0)
        with pytest.raises(Forbidden, match="no volunteer profile"):
            checkin.check_in_by_code(s, prog, other.id, sh.checkin_code, actor="leader1", now=T0)
        site.volunteer(s, "李四", user_id=other.id)
        with pytest.raises(Forbidden, match="not rostered"):
            checkin.check_in_by_code(s, prog, other.id, sh.checkin_code, actor="leader1", now=T0)
        ci, created = checkin.check_in_by_code(s, prog, vol_user.id, sh.checkin_code, actor="vol1", now=T0)
        assert created and ci.method == "code" and ci.assignment_id == a.id
        out, _ = checkin.check_out_by_code(s, prog, eng.host, vol_user.id, sh.checkin_code, actor="vol1",
                                           now=T0 + minutes(90))
        assert out.minutes == 90 and out.checked_out_by == "vol1"


def test_concurrent_duplicate_checkins_one_row(eng: Any, prog: Any, site: Any) -> None:
    """Sixteen threads check the same assignment in at once (a phone retrying): one row, one 'created'."""
    with eng.session() as s:
        a, _ = rostered(eng, prog, site, s)
        aid = a.id
    results: list[tuple[int, bool]] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(16)

    def go() -> None:
        barrier.wait()
        try:
            with eng.session() as s2:
                ci, created = checkin.check_in(s2, prog, aid, actor="coord1", now=T0)
                results.append((ci.id, created))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=go) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len({cid for cid, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    with eng.session() as s:
        assert count(s, Checkin) == 1


def test_concurrent_checkouts_one_record(eng: Any, prog: Any, site: Any) -> None:
    with eng.session() as s:
        a, _ = rostered(eng, prog, site, s)
        checkin.check_in(s, prog, a.id, actor="coord1", now=T0)
        aid = a.id
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def go() -> None:
        barrier.wait()
        try:
            with eng.session() as s2:
                checkin.check_out(s2, prog, eng.host, aid, actor="coord1", now=T0 + minutes(60))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=go) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with eng.session() as s:
        assert count(s, ServiceRecord) == 1


def test_forgotten_checkout_closed_flagged_not_counted_until_confirmed(eng: Any, prog: Any, site: Any) -> None:
    """auto_close_after_minutes = 120 after the 13:00 end: at 14:59 nothing happens, at 15:00 it is
    closed at 13:00 (240 min), flagged, listed, and leaves no record until confirmed."""
    with eng.session() as s:
        a, sh = rostered(eng, prog, site, s)
        ci, _ = checkin.check_in(s, prog, a.id, actor="coord1", now=T0)
        assert checkin.close_forgotten_checkouts(s, prog, sh.ends_at + minutes(119)) == []
        assert checkin.close_forgotten_checkouts(s, prog, sh.ends_at + minutes(120)) == [ci.id]
        assert checkin.close_forgotten_checkouts(s, prog, sh.ends_at + minutes(121)) == []  # already closed
        s.refresh(ci)
        assert (ci.checked_out_at, ci.minutes, ci.auto_closed, ci.record_id, ci.checked_out_by) == (
            sh.ends_at, 240, True, None, "system")
        assert count(s, ServiceRecord) == 0
        assert [c.id for c, _ in checkin.unconfirmed(s, prog)] == [ci.id]
        # a late check-out by the volunteer does not reopen it
        again, _ = checkin.check_out(s, prog, eng.host, a.id, actor="coord1", now=sh.ends_at + minutes(150))
        assert again.checked_out_at == sh.ends_at and again.record_id is None
        # the coordinator knows the volunteer left at 12:30
        done = checkin.confirm(s, prog, eng.host, ci.id, actor="coord1", checked_out_at=T0 + minutes(210),
                               now=sh.ends_at + minutes(150))
        assert (done.minutes, done.confirmed_by) == (210, "coord1")
        rec = s.get(ServiceRecord, done.record_id)
        assert (rec.minutes, rec.verified_at) == (210, None)
        assert checkin.unconfirmed(s, prog) == []
        with pytest.raises(Conflict, match="already confirmed"):
            checkin.confirm(s, prog, eng.host, ci.id, actor="coord1", now=sh.ends_at + minutes(150))
        assert records.volunteer_totals(s, prog, rec.volunteer_id)["minutes"] == 0  # not verified yet
        records.verify_records(s, prog, eng.host, [rec.id], actor="coord1")
        assert records.volunteer_totals(s, prog, rec.volunteer_id)["minutes"] == 210


def test_checkout_past_the_auto_close_limit_is_auto_closed(eng: Any, prog: Any, site: Any) -> None:
    with eng.session() as s:
        a, sh = rostered(eng, prog, site, s)
        checkin.check_in(s, prog, a.id, actor="coord1", now=T0)
        ci, _ = checkin.check_out(s, prog, eng.host, a.id, actor="coord1", now=sh.ends_at + minutes(121))
        assert (ci.auto_closed, ci.checked_out_at, ci.record_id) == (True, sh.ends_at, None)


def test_checkout_without_checkin(eng: Any, prog: Any, site: Any) -> None:
    with eng.session() as s:
        a, _ = rostered(eng, prog, site, s)
        with pytest.raises(Conflict, match="has not checked in"):
            checkin.check_out(s, prog, eng.host, a.id, actor="coord1", now=T0)


def test_cancelled_or_no_show_cannot_check_in(eng: Any, prog: Any, site: Any) -> None:
    with eng.session() as s:
        a, _ = rostered(eng, prog, site, s)
        roster.mark_no_show(s, prog, a.id, actor="coord1", now=T0 + minutes(30))
        with pytest.raises(Conflict, match="no_show"):
            checkin.check_in(s, prog, a.id, actor="coord1", now=T0 + minutes(31))
