"""Senders are plugins: an SMS sender registered by a plan type gets the volunteer's phone and the
short text; the operator enables senders by name; the development senders print or write files;
plan types ship their own templates, and times show in the programme's zone."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
from pathlib import Path
from typing import Any

import pytest
from notify_helpers import add_user

from engine import hookimpl
from engine.core import VolunteerEngine
from engine.errors import PluginError
from engine.notify import deliver_due, enqueue
from engine.sdk import Outgoing, PermanentFailure, Sender
from engine.testing import make_host


class TextMessages(Sender):
    """An SMS gateway stand-in: records what it was asked to send; a number ending in 0 does not exist."""

    name = "sms_test"
    channel = "sms"

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def send(self, message: Outgoing) -> None:
        if message.address.endswith("0"):
            raise PermanentFailure("no such number")
        self.sent.append((message.address, message.short))


class SmsPlugin:
    def __init__(self, templates: Path | None = None) -> None:
        self.sender = TextMessages()
        self.templates = templates

    @hookimpl
    def volunteer_notification_senders(self, register: Any) -> None:
        register.add(self.sender)

    @hookimpl
    def volunteer_notification_templates(self) -> Any:
        return self.templates


def engine_with(eng: VolunteerEngine, *plugins: tuple[str, object]) -> VolunteerEngine:
    """Another engine on the same store whose host also has ``plugins`` (and the demo plan type)."""
    import vol_plan_demo

    return VolunteerEngine(eng.db.url, host=make_host([("demo", vol_plan_demo), *plugins]), upgrade=False)


def test_a_plugin_sender_gets_the_phone_and_the_short_text(eng: Any, demo: Any, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VOLUNTEER_NOTIFY_SENDERS", "file,sms_test")
    monkeypatch.setenv("VOLUNTEER_NOTIFY_FILE_DIR", str(tmp_path / "mail"))
    plugin = SmsPlugin()
    other = engine_with(eng, ("sms", plugin))
    try:
        uid, vid = add_user(eng, "ann", "ann@example.org", volunteer=True, phone="13800138001")
        _, vid_bad = add_user(eng, "bob", None, volunteer=True, phone="13800138000")
        with other.session() as s:
            assert enqueue(s, programme_id=demo.id, template="engine.test", data={}, key="k1", to_volunteer_id=vid,
                           host=other.host)
            enqueue(s, programme_id=demo.id, template="engine.test", data={}, key="k2", to_volunteer_id=vid_bad,
                    host=other.host)
            assert not enqueue(s, programme_id=demo.id, template="engine.test", data={}, key="k1",
                               to_user_id=uid, host=other.host)
            assert enqueue(s, programme_id=demo.id, template="engine.test", data={}, key="k3", to_user_id=uid,
                           channels=["sms"], host=other.host)
        report = deliver_due(other)
    finally:
        other.db.dispose()
    assert plugin.sender.sent == [("13800138001", "测试通知：通知渠道工作正常。 / Test notification: notifications reach you.")] * 2
    assert (report.sent, report.failed, report.skipped) == (3, 1, 1)  # bob: no e-mail (skipped), no such number (failed)
    files = sorted((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 1
    mail = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert mail["To"] == "志愿者ann <ann@example.org>" and mail["X-Volunteer-Key"] == "k1"


def test_senders_enabled_by_name(eng: Any, demo: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    uid, _ = add_user(eng, "ann", "ann@example.org")
    for setting, words in (("smpt", ["unknown sender 'smpt'", "registered: console, console-sms, file, file-sms, smtp"]),
                           ("console,smtp", ["two senders enabled for channel 'email'"])):
        monkeypatch.setenv("VOLUNTEER_NOTIFY_SENDERS", setting)
        with pytest.raises(PluginError) as exc, eng.session() as s:
            enqueue(s, programme_id=demo.id, template="engine.test", data={}, key="k", to_user_id=uid, host=eng.host)
        assert all(w in exc.value.message for w in words), exc.value.message
    monkeypatch.setenv("VOLUNTEER_NOTIFY_SENDERS", "")
    with eng.session() as s:
        assert not enqueue(s, programme_id=demo.id, template="engine.test", data={}, key="k", to_user_id=uid,
                           host=eng.host)


def test_two_plugins_with_one_sender_name_are_named(eng: Any, demo: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VOLUNTEER_NOTIFY_SENDERS", "sms_test")
    _, vid = add_user(eng, "ann", "ann@example.org", volunteer=True, phone="13800138001")
    first, second = SmsPlugin(), SmsPlugin()
    other = engine_with(eng, ("sms_a", first), ("sms_b", second))
    try:
        with other.session() as s:
            enqueue(s, programme_id=demo.id, template="engine.test", data={}, key="k", to_volunteer_id=vid,
                    host=other.host)
        assert deliver_due(other).sent == 1
    finally:
        other.db.dispose()
    assert [str(f) for f in other.host.failures] == [
        'Error loading plugin "sms_b": sender "sms_test" is provided twice: by plugin "sms_a" and by plugin "sms_b"']
    assert len(first.sender.sent) == 1 and second.sender.sent == []


def test_the_console_is_the_development_default(eng: Any, demo: Any, monkeypatch: pytest.MonkeyPatch,
                                                capfd: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("VOLUNTEER_NOTIFY_SENDERS", raising=False)
    uid, _ = add_user(eng, "ann", "ann@example.org")
    with eng.session() as s:
        enqueue(s, programme_id=demo.id, template="engine.test", data={"note": "第一条 first"}, key="k",
                to_user_id=uid, host=eng.host)
    assert deliver_due(eng).sent == 1
    err = capfd.readouterr().err
    assert "ann 用户 <ann@example.org>" in err and "Subject: 测试通知 / Test notification" in err
    assert "第一条 first" in err


def test_plan_type_templates_show_times_in_the_programme_zone(eng: Any, demo: Any, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo programme runs in Asia/Shanghai: 01:00 UTC is shown as 09:00."""
    monkeypatch.setenv("VOLUNTEER_NOTIFY_SENDERS", "sms_test")
    (tmp_path / "demo.shift_reminder.zh.j2").write_text(
        "{% block subject %}班次提醒{% endblock %}{% block body %}{{ recipient.name }}：{{ post }} 于 "
        "{{ starts_at | local }} 开始。{% endblock %}{% block short %}{{ post }} {{ starts_at | local }} 开始"
        "{% endblock %}", encoding="utf-8")
    (tmp_path / "demo.shift_reminder.en.j2").write_text(
        "{% block subject %}Shift reminder{% endblock %}{% block body %}{{ post }} starts at "
        "{{ starts_at | local }}.{% endblock %}{% block short %}{{ post }} at {{ starts_at | local }}"
        "{% endblock %}", encoding="utf-8")
    plugin = SmsPlugin(tmp_path)
    other = engine_with(eng, ("sms", plugin))
    try:
        _, vid = add_user(eng, "ann", None, volunteer=True, phone="13800138001")
        with other.session() as s:
            ctx = other.host.context(s, other.programme(demo.id, s))
            assert ctx.notify("demo.shift_reminder", {"post": "入口引导",
                                                      "starts_at": dt.datetime(2026, 5, 1, 1, 0, tzinfo=dt.UTC)},
                              key="reminder:1", to_volunteer_id=vid)
        deliver_due(other)
    finally:
        other.db.dispose()
    assert demo.config.timezone == "Asia/Shanghai"
    assert plugin.sender.sent == [("13800138001", "入口引导 2026-05-01 09:00 开始 / 入口引导 at 2026-05-01 09:00")]
