"""enqueue: one row per enabled channel, written once per key, only if the caller's transaction
commits; bad input is refused with a bilingual message naming what is wrong."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from notify_helpers import add_user
from sqlalchemy import func, select

from engine.errors import InvalidInput, NotFound
from engine.notify import enqueue
from engine.notify.models import Notification

T = "engine.test"


def count(eng: Any) -> int:
    with eng.session() as s:
        return int(s.scalar(select(func.count()).select_from(Notification)) or 0)


def test_written_once_per_key(eng: Any, demo: Any) -> None:
    uid, _ = add_user(eng, "ann", "ann@example.org")
    with eng.session() as s:
        assert enqueue(s, programme_id=demo.id, template=T, data={}, key="k1", to_user_id=uid, host=eng.host)
        assert not enqueue(s, programme_id=demo.id, template=T, data={"note": "again"}, key="k1", to_user_id=uid,
                           host=eng.host)
    with eng.session() as s:  # a later transaction too
        assert not enqueue(s, programme_id=demo.id, template=T, data={}, key="k1", to_user_id=uid, host=eng.host)
        assert enqueue(s, programme_id=demo.id, template=T, data={}, key="k2", to_user_id=uid, host=eng.host)
    with eng.session() as s:
        rows = s.scalars(select(Notification).order_by(Notification.id)).all()
        assert [(r.key, r.channel, r.kind, r.status, r.data) for r in rows] == [
            ("k1", "email", T, "pending", {}), ("k2", "email", T, "pending", {})]


def test_nothing_is_queued_when_the_caller_rolls_back(eng: Any, demo: Any) -> None:
    uid, _ = add_user(eng, "ann", "ann@example.org")
    with pytest.raises(RuntimeError), eng.session() as s:
        enqueue(s, programme_id=demo.id, template=T, data={}, key="k1", to_user_id=uid, host=eng.host)
        raise RuntimeError("the caller's work failed")
    assert count(eng) == 0


def test_data_times_are_stored_as_iso_text(eng: Any, demo: Any) -> None:
    uid, _ = add_user(eng, "ann", "ann@example.org")
    when = dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    with eng.session() as s:
        enqueue(s, programme_id=demo.id, template=T, data={"at": when, "on": dt.date(2026, 5, 1)}, key="k",
                to_user_id=uid, host=eng.host)
        row = s.scalars(select(Notification)).one()
        assert row.data == {"at": "2026-05-01T01:00:00+00:00", "on": "2026-05-01"}


BAD = [
    ({"template": "no.such"}, InvalidInput, ["no notification template 'no.such.zh.j2'", "没有通知模板"]),
    ({"to_volunteer_id": 1}, InvalidInput, ["exactly one of to_user_id and to_volunteer_id", "请指定一位收件人"]),
    ({"to_user_id": None}, InvalidInput, ["exactly one of"]),
    ({"key": ""}, InvalidInput, ["key needs 1–200 characters"]),
    ({"data": {"at": dt.datetime(2026, 5, 1)}}, InvalidInput, ["must be timezone-aware"]),
    ({"data": {"x": object()}}, InvalidInput, ["must be JSON-able"]),
    ({"not_before": dt.datetime(2026, 5, 1)}, InvalidInput, ["not_before must be timezone-aware"]),
    ({"programme_id": "nope"}, NotFound, ["no programme 'nope'"]),
    ({"to_user_id": 999}, NotFound, ["no account 999", "没有账号"]),
]


def test_bad_input_is_refused_and_nothing_written(eng: Any, demo: Any) -> None:
    uid, _ = add_user(eng, "ann", "ann@example.org")
    for kwargs, error, words in BAD:
        args: dict[str, Any] = {"programme_id": demo.id, "template": T, "data": {}, "key": "k", "to_user_id": uid,
                                **kwargs}
        with pytest.raises(error) as exc, eng.session() as s:
            enqueue(s, host=eng.host, **args)
        assert all(w in exc.value.message for w in words), (kwargs, exc.value.message)
    assert count(eng) == 0


def test_a_template_variable_missing_from_the_data_is_found_at_enqueue(eng: Any, demo: Any, tmp_path: Any) -> None:
    from engine import hookimpl
    from engine.testing import make_host

    (tmp_path / "demo.remind.zh.j2").write_text("{% block subject %}提醒{% endblock %}{% block body %}"
                                                 "{{ shift }}{% endblock %}", encoding="utf-8")
    (tmp_path / "demo.remind.en.j2").write_text("{% block subject %}Reminder{% endblock %}{% block body %}"
                                                 "{{ shift }}{% endblock %}", encoding="utf-8")

    class Templates:
        @hookimpl
        def volunteer_notification_templates(self) -> Any:
            return tmp_path

    host = make_host([("tpl", Templates())])
    uid, _ = add_user(eng, "ann", "ann@example.org")
    with pytest.raises(InvalidInput, match=r"demo.remind.zh.j2.*cannot be rendered.*'shift' is undefined"), \
            eng.session() as s:
        enqueue(s, programme_id=demo.id, template="demo.remind", data={}, key="k", to_user_id=uid, host=host)
    with eng.session() as s:
        assert enqueue(s, programme_id=demo.id, template="demo.remind", data={"shift": "早班"}, key="k",
                       to_user_id=uid, host=host)
