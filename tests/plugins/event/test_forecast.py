"""The no-show forecast: Beta–Binomial show rates shrunk toward the programme's rate."""

from __future__ import annotations

import pytest

from plugins.event.forecast import DEFAULT_RATE, expected, rates


def test_no_history_uses_the_default() -> None:
    base, per = rates({})
    assert base == DEFAULT_RATE and per == {}
    assert expected([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 10, base, per) == {"expected": 9.0, "overbook": 2}


def test_rates_shrink_toward_the_programme_rate() -> None:
    # programme: 18 shows in 20 past shifts → 0.9; volunteer 1 came 10 of 10, volunteer 2 came 8 of 10
    base, per = rates({1: (10, 10), 2: (8, 10)})
    assert base == pytest.approx(0.9)
    assert per[1] == pytest.approx((10 + 9) / 20) and per[2] == pytest.approx((8 + 9) / 20)
    out = expected([1, 2, 3], 3, base, per)  # 0.95 + 0.85 + 0.9 (no history: the programme's rate)
    assert out == {"expected": 2.7, "overbook": 1}
    assert expected([1, 2, 3], 2, base, per)["overbook"] == 0  # already above capacity
