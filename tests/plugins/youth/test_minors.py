"""Minors' rules by region (engine/rules/minors.py; packs minors-*): age on the activity's date,
minimum registration age, categories closed to minors even with consent, presence instead of consent."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from youth_helpers import School, local

from engine.errors import InvalidInput
from engine.rules.registry import load_packs
from engine.stages.recruitment.applications import NotEligible
from engine.testing import make_host

ROOT = Path(__file__).resolve().parents[3]


def test_the_birthday_on_the_activity_day_decides_consent(national: School) -> None:
    """Born 2008-05-01: 17 on 2026-04-30 (consent needed), 18 on 2026-05-01 (none needed)."""
    vid = national.student("孙悦", dt.date(2008, 5, 1))
    post_a, post_b = national.post("博物馆讲解 A", "museum_guide"), national.post("博物馆讲解 B", "museum_guide")
    (_, _), notes = national.apply(vid, post_a, on=dt.date(2026, 4, 30))
    assert any("aged 17" in n for n in notes), notes
    (_app_b, _), notes = national.apply(vid, post_b, on=dt.date(2026, 5, 1))
    assert notes == []


def test_zhejiang_minimum_age_is_8_on_registration(school: School) -> None:
    # the clock is 2025-10-08: born 2017-10-09 is 7, born 2017-10-08 turns 8 today
    with pytest.raises(InvalidInput) as err:
        school.student("小不点", dt.date(2017, 10, 9), grade="二年级")
    assert "第九条" in str(err.value) and "minimum volunteer age of 8" in str(err.value)
    assert school.student("刚满八岁", dt.date(2017, 10, 8), grade="二年级") > 0


def test_disaster_relief_is_closed_to_minors_even_with_consent_citing_the_article(school: School) -> None:
    minor = school.student("钱多多", dt.date(2010, 3, 3), paper_consent_by="钱父")
    adult = school.adult("钱老师")
    relief = school.post("防汛抢险 Flood relief", "disaster_relief")
    with pytest.raises(NotEligible) as err:
        school.apply(minor, relief)
    assert any("浙江省志愿服务条例（2018）第九条第二款" in r for r in err.value.reasons), err.value.reasons
    (_, state), _ = school.apply(adult, relief)
    assert state == "applied"


def test_an_emergency_project_is_closed_to_minors_and_rostering_refuses_it_too(school: School) -> None:
    minor = school.student("孙小雨", dt.date(2011, 8, 8), paper_consent_by="孙母")
    post = school.post("应急物资分拣 Emergency sorting", "community", kind="emergency")
    with pytest.raises(NotEligible):
        school.apply(minor, post)
    shift = school.shift(post, local(2025, 10, 20, 9))
    from engine.errors import GuardsFailed

    with pytest.raises(GuardsFailed) as err:
        school.assign(shift, minor)
    assert any("第九条第二款" in r for r in err.value.reasons)


def test_shandong_closes_the_same_categories_under_its_article_10(eng, clock) -> None:  # type: ignore[no-untyped-def]
    from youth_helpers import programme_text

    sd = School(eng, programme_text("  pack: minors-shandong-2021\n", pid="sd-2025"), pid="sd-2025")
    minor = sd.student("齐鲁", dt.date(2012, 2, 2), paper_consent_by="齐父")
    with pytest.raises(NotEligible) as err:
        sd.apply(minor, sd.post("山体滑坡救援", "dangerous"))
    assert any("山东省志愿服务条例（2021）第十条第二款" in r for r in err.value.reasons)


def test_where_presence_may_replace_consent_applying_is_accepted_with_a_note(school: School) -> None:
    vid = school.student("吴桐", dt.date(2012, 5, 5))
    (app_id, _), notes = school.apply(vid, school.post())
    assert any("accompanied by a guardian" in n for n in notes), notes
    assert school.fire_application(app_id, "screen").ok


def test_the_team_league_pack_sets_14(eng, clock) -> None:  # type: ignore[no-untyped-def]
    from youth_helpers import programme_text

    cyl = School(eng, programme_text("  pack: minors-cyl-2013\n", pid="cyl-2025"), pid="cyl-2025")
    with pytest.raises(InvalidInput):
        cyl.student("十三岁", dt.date(2012, 1, 1))
    assert cyl.student("十四岁", dt.date(2011, 1, 1)) > 0


LAWS = os.environ.get("VOLUNTEER_LAWS_DIR")
FILES = {"浙江省志愿服务条例（2018）": "zhejiang-volunteer-regulations-2018.md",
         "山东省志愿服务条例（2021）": "shandong-volunteer-regulations-2021.md",
         "志愿服务条例（2017）": "volunteer-service-regulations-2017.md",
         "中华人民共和国未成年人保护法（2024）": "minors-protection-law-2024.md"}


@pytest.mark.skipif(not LAWS, reason="set VOLUNTEER_LAWS_DIR to the folder of the statute texts")
def test_the_minors_packs_quote_their_articles_verbatim() -> None:
    packs = load_packs(make_host(builtin=("youth",)))
    checked = 0
    for name in ("minors-national", "minors-zhejiang-2018", "minors-shandong-2021", "school-example-hz-2025"):
        for src in packs[name].meta.sources:
            law = next((k for k in FILES if src.title.startswith(k)), None)
            if law is None:
                continue
            article = re.search(r"第[一二三四五六七八九十百]+条", src.title)
            assert article is not None, src.title
            text = Path(LAWS, FILES[law]).read_text(encoding="utf-8")
            body = text.split(f"\n{article.group(0)} ", 1)[1].split("\n第", 1)[0]
            assert src.cites in body, (name, src.title, src.cites)
            checked += 1
    assert checked >= 7


def test_an_adult_under_the_programmes_own_minimum_is_still_refused(eng, clock) -> None:  # type: ignore[no-untyped-def]
    from youth_helpers import programme_text

    older = School(eng, programme_text(pid="older-2025", extra="recruitment: {min_age: 20}\n"), pid="older-2025")
    vid = older.adult("小周", dt.date(2006, 1, 1))  # 19
    with pytest.raises(NotEligible) as err:
        older.apply(vid, older.post())
    assert any("minimum of 20" in r for r in err.value.reasons)
