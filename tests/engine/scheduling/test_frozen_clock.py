"""engine.testing.frozen_clock: plugin authors set the engine's clock, move it on, and get the real one back."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from engine import timeutil
from engine.testing import frozen_clock


def test_set_advance_restore(eng: Any, demo: Any) -> None:
    with frozen_clock("2026-05-01T09:00:00+08:00") as clock:
        assert timeutil.now() == dt.datetime(2026, 5, 1, 1, 0, tzinfo=dt.UTC)
        with eng.session() as s:
            ctx = eng.host.context(s, eng.programme(demo.id, s))
            assert ctx.now == clock() and ctx.today == dt.date(2026, 5, 1)
            clock.advance(hours=15)  # 00:00 the next day in Shanghai
            assert ctx.today == dt.date(2026, 5, 2) and timeutil.today("Asia/Shanghai") == dt.date(2026, 5, 2)
        assert clock.advance(dt.timedelta(minutes=1)) == dt.datetime(2026, 5, 1, 16, 1, tzinfo=dt.UTC)
        with frozen_clock(dt.datetime(2030, 1, 1, tzinfo=dt.UTC)):
            assert timeutil.now().year == 2030
        assert timeutil.now() == dt.datetime(2026, 5, 1, 16, 1, tzinfo=dt.UTC)  # the outer clock is back
    assert abs(timeutil.now() - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)  # the real clock again


def test_a_time_without_a_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"), frozen_clock("2026-05-01T09:00:00"):
        pass
