"""Shift reminders from the scheduled path: 24 h and 2 h before (configurable), each once, none after
a cancellation, only the nearest one for a late assignment."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select, update
from svc_helpers import Site

from engine import timeutil
from engine.notify.models import Notification
from engine.stages.service.models import Assignment
from engine.testing import tick


def reminders(eng: Any) -> list[str]:
    with eng.session() as s:
        return sorted(s.scalars(select(Notification.key).where(Notification.template == "shift.reminder")))


def test_reminders_24h_and_2h_before_each_once(eng: Any, prog: Any, site: Site, frozen_clock: Any) -> None:
    now = frozen_clock
    with eng.session() as s:
        post = site.post(s, site.project(s), "入口引导员")
        early = site.shift(s, post, now + dt.timedelta(hours=20))
        late = site.shift(s, post, now + dt.timedelta(hours=60))
        v, w = site.volunteer(s, "张三"), site.volunteer(s, "李四")
        a = Assignment(programme_id=prog.id, shift_id=early.id, volunteer_id=v.id, assigned_by="coord1")
        b = Assignment(programme_id=prog.id, shift_id=late.id, volunteer_id=w.id, assigned_by="coord1")
        s.add_all([a, b])
        s.flush()
        ids = (a.id, b.id)
    tick(eng, deliver=False)
    tick(eng, deliver=False)  # the next tick sends nothing twice
    assert reminders(eng) == [f"shift.reminder:{ids[0]}:24h"]
    timeutil.set_clock(lambda: now + dt.timedelta(hours=19))  # 1 h before the early shift
    tick(eng, deliver=False)
    assert reminders(eng) == [f"shift.reminder:{ids[0]}:24h", f"shift.reminder:{ids[0]}:2h"]
    with eng.session() as s:  # the later shift's volunteer cancels: no reminder for them
        s.execute(update(Assignment).where(Assignment.id == ids[1]).values(status="cancelled"))
    timeutil.set_clock(lambda: now + dt.timedelta(hours=59))
    tick(eng, deliver=False)
    assert len(reminders(eng)) == 2


def test_reminder_hours_come_from_the_programme(eng: Any) -> None:
    from svc_helpers import SERVICE_YAML

    text = SERVICE_YAML.format(id="svc-quiet", org="静默站").replace("service:\n", "service:\n  reminders_hours_before: []\n")
    prog = eng.load(text, filename="svc-quiet.yaml")
    assert prog.config.service.reminders_hours_before == []
    bad = SERVICE_YAML.format(id="svc-bad", org="静默站").replace("service:\n", "service:\n  reminders_hours_before: [0]\n")
    import pytest

    from engine.errors import ConfigError

    with pytest.raises(ConfigError, match="1–168 hours"):
        eng.load(bad, filename="svc-bad.yaml")
