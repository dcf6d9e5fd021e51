"""Permit thresholds of 《大型群众性活动安全管理条例》 at their edges (第二条, 第十二至十四条), and the
quoted article text checked against laws/ when VOLUNTEER_LAWS_DIR is set."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from plugins.event.permits import decision_due, permit_need

DAY = dt.date(2010, 5, 1)


@pytest.mark.parametrize(("people", "required", "authority"), [
    (999, False, None), (1000, True, "county"), (5000, True, "county"), (5001, True, "city"), (6249, True, "city")])
def test_thresholds(people: int, required: bool, authority: str | None) -> None:
    need = permit_need(people, DAY)
    assert need.required is required
    assert (authority is None and need.authority is None) or authority in (need.authority or "")
    if required:
        assert need.file_by == dt.date(2010, 4, 11)  # 第十三条: 20 days before
    if people == 5000:
        assert "exactly 5,000" in need.note


def test_cross_province_and_unknown() -> None:
    assert "State Council" in (permit_need(1500, DAY, cross_province=True).authority or "")
    assert not permit_need(None, DAY).required
    assert decision_due(dt.date(2010, 4, 2)) == dt.date(2010, 4, 9)  # 第十四条: 7 days from acceptance


def test_articles_quoted_match_the_law() -> None:
    laws = os.environ.get("VOLUNTEER_LAWS_DIR")
    if not laws:
        pytest.skip("VOLUNTEER_LAWS_DIR not set")
    text = (Path(laws) / "large-public-events-safety-2007.md").read_text(encoding="utf-8")
    src = (Path(__file__).resolve().parents[3] / "plugins/event/permits.py").read_text(encoding="utf-8")
    for quote in ("每场次预计参加人数达到1000人以上", "预计参加人数在1000人以上5000人以下的，由活动所在地县级人民政府公安机关实施安全许可",
                  "承办者应当在活动举办日的20日前提出安全许可申请", "应当自受理之日起7日内进行审查"):
        assert quote in text
        assert quote.replace("，", "，") in src.replace("\n", "").replace("  ", "") or quote[:12] in src
    emergency = (Path(laws) / "emergency-response-law-2024.md").read_text(encoding="utf-8")
    assert "分为特别重大、重大、较大和一般四级" in emergency
    assert "分别用红色、橙色、黄色和蓝色标示，一级为最高级别" in emergency
