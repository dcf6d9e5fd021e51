"""Delivery from the scheduled path through a real SMTP server: each message once under two workers,
retried with backoff after failures (every attempt logged), given up on permanent refusals, and
addressed to the person as they are when it is sent."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from notify_helpers import Inbox, add_user
from sqlalchemy import select

from engine.core import VolunteerEngine
from engine.notify import deliver_due, enqueue
from engine.notify.models import Notification, NotificationAttempt
from engine.scheduling import tick
from engine.testing import frozen_clock, make_host

T0 = dt.datetime(2026, 5, 1, 1, 0, 10, tzinfo=dt.UTC)


def queue(eng: Any, demo: Any, uid: int, key: str, **kw: Any) -> bool:
    with eng.session() as s:
        return enqueue(s, programme_id=demo.id, template="engine.test", data={"note": key}, key=key, to_user_id=uid,
                       host=eng.host, **kw)


def attempts(eng: Any, key: str) -> list[tuple[int, str, str | None]]:
    with eng.session() as s:
        rows = s.execute(select(NotificationAttempt.attempt, NotificationAttempt.outcome, NotificationAttempt.error)
                         .join(Notification, Notification.id == NotificationAttempt.notification_id)
                         .where(Notification.key == key).order_by(NotificationAttempt.id)).all()
        return [tuple(r) for r in rows]


def status(eng: Any, key: str) -> Notification:
    with eng.session() as s:
        return s.scalars(select(Notification).where(Notification.key == key)).one()


def test_each_message_sent_once_under_two_workers(eng: Any, demo: Any, smtp: Inbox) -> None:
    uid, _ = add_user(eng, "ann", "ann@example.org")
    keys = [f"k{i:02d}" for i in range(30)]
    for k in keys:
        queue(eng, demo, uid, k)
    other = VolunteerEngine(eng.db.url, host=make_host([]), upgrade=False)  # a second worker: own connections
    barrier = threading.Barrier(2)
    reports: list[Any] = []

    def work(e: VolunteerEngine, name: str) -> None:
        barrier.wait(30)
        reports.append(deliver_due(e, worker=name, batch=3))

    try:
        threads = [threading.Thread(target=work, args=(e, n)) for e, n in ((eng, "w1"), (other, "w2"))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
    finally:
        other.db.dispose()
    assert sorted(smtp.keys()) == keys  # every message, none twice
    assert sum(r.sent for r in reports) == 30
    with eng.session() as s:
        assert set(s.scalars(select(Notification.status))) == {"sent"}
        assert s.scalars(select(NotificationAttempt.outcome)).all() == ["sent"] * 30
    m = smtp.messages[0]
    assert m["Subject"] == "测试通知 / Test notification" and m["To"] == "ann 用户 <ann@example.org>"
    assert m["From"] == "海滨志愿 <noreply@haibin.example>" and m["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    body = m.get_content()
    assert body.index("您好") < body.index("Hello")  # Chinese first, English alongside
    assert "/api/v1/notifications/unsubscribe/" in body and "/api/v1/notifications/unsubscribe/" in m["List-Unsubscribe"]


def test_retried_with_backoff_after_the_server_refuses(eng: Any, demo: Any, smtp: Inbox) -> None:
    uid, _ = add_user(eng, "ann", "ann@example.org")
    smtp.refuse(2)  # "451 try again later", twice
    with frozen_clock(T0) as clock:
        queue(eng, demo, uid, "k")
        first = tick(eng, every=60)
        assert str(first.delivery) == "sent 0, retrying 1, failed 0, skipped 0"
        assert status(eng, "k").not_before == T0 + dt.timedelta(minutes=1)
        clock.advance(seconds=59)
        assert not tick(eng, every=60).delivery  # not due yet: nothing attempted
        clock.advance(seconds=1)
        assert tick(eng, every=60).delivery.retrying == 1
        assert status(eng, "k").not_before == clock() + dt.timedelta(minutes=2)  # the wait doubles
        clock.advance(minutes=2)
        assert tick(eng, every=60).delivery.sent == 1
    assert smtp.keys() == ["k"]
    log = attempts(eng, "k")
    assert [(n, outcome) for n, outcome, _ in log] == [(1, "error"), (2, "error"), (3, "sent")]
    assert "451" in (log[0][2] or "") and log[2][2] is None
    row = status(eng, "k")
    assert (row.status, row.attempts, row.address, row.sent_at) == ("sent", 3, "ann@example.org",
                                                                    T0 + dt.timedelta(minutes=3))


def test_retried_while_the_server_is_down(eng: Any, demo: Any, smtp_port: int, monkeypatch: pytest.MonkeyPatch,
                                          request: pytest.FixtureRequest) -> None:
    monkeypatch.setenv("VOLUNTEER_NOTIFY_SENDERS", "smtp")
    monkeypatch.setenv("VOLUNTEER_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("VOLUNTEER_SMTP_PORT", str(smtp_port))  # nothing listens there yet
    monkeypatch.setenv("VOLUNTEER_SMTP_SECURITY", "none")
    uid, _ = add_user(eng, "ann", "ann@example.org")
    with frozen_clock(T0) as clock:
        queue(eng, demo, uid, "k")
        assert deliver_due(eng).retrying == 1
        assert "Connection" in (attempts(eng, "k")[0][2] or "")
        inbox: Inbox = request.getfixturevalue("smtp")  # the server comes up
        clock.advance(minutes=1)
        assert deliver_due(eng).sent == 1
    assert inbox.keys() == ["k"]


def test_a_permanent_refusal_is_not_retried(eng: Any, demo: Any, smtp: Inbox) -> None:
    uid, _ = add_user(eng, "ann", "ann@example.org")
    smtp.refuse(1, "554 5.6.0 message refused")
    with frozen_clock(T0) as clock:
        queue(eng, demo, uid, "k")
        assert deliver_due(eng).failed == 1
        clock.advance(hours=7)
        assert not deliver_due(eng)
    assert smtp.keys() == [] and status(eng, "k").status == "failed"
    assert [o for _, o, _ in attempts(eng, "k")] == ["failed"]


def test_given_up_after_the_last_attempt(eng: Any, demo: Any, smtp: Inbox, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VOLUNTEER_NOTIFY_MAX_ATTEMPTS", "2")
    uid, _ = add_user(eng, "ann", "ann@example.org")
    smtp.refuse(5)
    with frozen_clock(T0) as clock:
        queue(eng, demo, uid, "k")
        deliver_due(eng)
        clock.advance(hours=7)
        assert deliver_due(eng).failed == 1
        clock.advance(hours=7)
        assert not deliver_due(eng)
    assert [o for _, o, _ in attempts(eng, "k")] == ["error", "failed"]
    assert status(eng, "k").status == "failed"


def test_addressed_as_the_person_is_when_sent(eng: Any, demo: Any, smtp: Inbox) -> None:
    uid, _ = add_user(eng, "ann", "old@example.org")
    nobody, _ = add_user(eng, "bob", None)
    queue(eng, demo, uid, "k1")
    queue(eng, demo, nobody, "k2")
    from engine.store.models import User

    with eng.session() as s:
        s.get(User, uid).email = "new@example.org"
    report = deliver_due(eng)
    assert (report.sent, report.skipped) == (1, 1)
    assert [str(m["To"]) for m in smtp.messages] == ["ann 用户 <new@example.org>"]
    assert status(eng, "k2").status == "skipped" and "no email address" in (status(eng, "k2").last_error or "")


def test_not_before_holds_a_message_back(eng: Any, demo: Any, smtp: Inbox) -> None:
    uid, _ = add_user(eng, "ann", "ann@example.org")
    with frozen_clock(T0) as clock:
        queue(eng, demo, uid, "k", not_before=T0 + dt.timedelta(hours=1))
        assert not deliver_due(eng)
        clock.advance(hours=1)
        assert deliver_due(eng).sent == 1
