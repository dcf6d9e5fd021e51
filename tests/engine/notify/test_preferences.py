"""People decide what reaches them: switches per kind and channel, a signed unsubscribe link that
needs no login (and changes nothing on GET), and their own settings over the API."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import httpx
from notify_helpers import Inbox, add_user

from engine.notify import deliver_due, enqueue, set_preference, wants
from engine.notify.people import person_of_user, unsubscribe_token


def send(eng: Any, demo: Any, key: str, *, kind: str | None = None, **to: Any) -> str:
    """Queue one message and run delivery; returns what happened to it."""
    with eng.session() as s:
        enqueue(s, programme_id=demo.id, template="engine.test", data={}, key=key, kind=kind, host=eng.host, **to)
    report = deliver_due(eng)
    return "sent" if report.sent else "skipped" if report.skipped else str(report)


def test_switches_most_specific_wins(eng: Any, demo: Any, smtp: Inbox) -> None:
    uid, vid = add_user(eng, "ann", "ann@example.org", volunteer=True)
    with eng.session() as s:
        person = person_of_user(s, uid)
        assert person == f"v:{vid}"  # an account with a volunteer record: one person, one set of switches
        set_preference(s, person, "*", "email", False)
    assert send(eng, demo, "k1", to_user_id=uid) == "skipped"
    assert send(eng, demo, "k2", to_volunteer_id=vid) == "skipped"
    with eng.session() as s:
        set_preference(s, person, "engine.test", "email", True)  # this kind back on
    assert send(eng, demo, "k3", to_user_id=uid) == "sent"
    assert send(eng, demo, "k4", to_user_id=uid, kind="reminders") == "skipped"  # other kinds still off
    with eng.session() as s:
        set_preference(s, person, "*", "*", True)
        assert not wants(s, person, "reminders", "email")  # (kind *, channel email) is more specific than (*, *)
    assert smtp.keys() == ["k3"]


def _unsubscribe_path(message: Any) -> str:
    return urlparse(str(message["List-Unsubscribe"]).strip("<>")).path


def test_unsubscribe_link_without_login(eng: Any, demo: Any, smtp: Inbox, api: Any) -> None:
    uid, _ = add_user(eng, "ann", "ann@example.org")
    assert send(eng, demo, "k1", to_user_id=uid) == "sent"
    path = _unsubscribe_path(smtp.messages[0])
    assert path in smtp.messages[0].get_content()
    with httpx.Client(base_url=api.url, timeout=30) as web:
        page = web.get(path)
        assert page.status_code == 200 and "退订" in page.text and "Unsubscribe" in page.text
        assert send(eng, demo, "k2", to_user_id=uid) == "sent"  # opening the page changed nothing
        done = web.post(path, data={"List-Unsubscribe": "One-Click"})  # a mail client's one-click unsubscribe
        assert done.status_code == 200 and "已退订" in done.text
        assert send(eng, demo, "k3", to_user_id=uid) == "skipped"
        assert send(eng, demo, "k4", to_user_id=uid, kind="reminders") == "sent"  # only that kind
        assert web.post(_unsubscribe_path(smtp.messages[-1]), data={"scope": "all"}).status_code == 200
        assert send(eng, demo, "k5", to_user_id=uid, kind="news") == "skipped"

        payload, sig = path.rsplit("/", 1)[1].split(".")
        with eng.session() as s:
            other = unsubscribe_token(s, "u:999", "engine.test", "email").split(".")[1]
        for bad in (f"{payload}.{other}", f"{payload}x.{sig}", "nonsense", f"{payload}.{sig[:-4]}"):
            r = web.post(f"/api/v1/notifications/unsubscribe/{bad}")
            assert r.status_code == 422, (bad, r.text)
            assert "退订链接无效" in r.text and "not valid" in r.text
    assert smtp.keys() == ["k1", "k2", "k4"]


def test_my_settings_over_the_api(eng: Any, demo: Any, smtp: Inbox, api: Any) -> None:
    uid, _ = add_user(eng, "ann", "ann@example.org")
    assert send(eng, demo, "k1", to_user_id=uid) == "sent"
    ann = api.as_("ann")
    mine = ann.get("/me/notifications").json()
    assert mine == {"kinds_received": ["engine.test"], "preferences": []}
    r = ann.put("/me/notifications", json={"kind": "engine.test", "channel": "email", "enabled": False})
    assert r.status_code == 200
    assert r.json()["preferences"] == [{"kind": "engine.test", "channel": "email", "enabled": False,
                                        "source": "settings"}]
    assert send(eng, demo, "k2", to_user_id=uid) == "skipped"
    assert ann.put("/me/notifications", json={"kind": "engine.test", "channel": "email", "enabled": True}).status_code == 200
    assert send(eng, demo, "k3", to_user_id=uid) == "sent"
    bad = ann.put("/me/notifications", json={"kind": "", "channel": "email", "enabled": True})
    assert bad.status_code == 422 and "kind" in bad.text
    assert api.anonymous().get("/me/notifications").status_code == 401
