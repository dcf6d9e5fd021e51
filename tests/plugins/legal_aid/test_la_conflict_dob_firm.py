"""Conflict search as case-management systems do it (issue 10, WAVE2): the date of birth — from the
party's field or read from their ID number — alone is a low "review" hit that never blocks, and with any
name rule it corroborates; a declaration that the volunteer's firm represents a party is never waivable
in the same case (《律师法》第三十九条; 规范第五十一条) and waivable with consent in another one (规范第五十二条)."""

from __future__ import annotations

from typing import Any

from la_helpers import World, idno

BORN = "1985-06-12"
LIU_ID = idno("19850612", "318")  # born the same day


def check(w: World, case: dict[str, Any], who: str | None = "lawyer1") -> list[dict[str, Any]]:
    body = {"profile_id": w.profiles[who]} if who else {}
    r = w.as_("intake1").post(w.url(f"/cases/{case['id']}/conflict-check"), json=body)
    assert r.status_code == 200, r.text
    return r.json()["hits"]


def earlier(w: World, **client: Any) -> dict[str, Any]:
    return w.new_case(party_list=[{"role": "client", "kind": "person", "name": "张小明", **client},
                                  {"role": "adverse", "kind": "org", "name": "北京某某科技有限公司"}])


def later(w: World, **adverse: Any) -> dict[str, Any]:
    return w.new_case(party_list=[{"role": "client", "kind": "person", "name": "刘桂兰"},
                                  {"role": "adverse", "kind": "person", **adverse}])


def test_birth_date_alone_is_a_review_hit_that_does_not_block(world: World) -> None:
    w = world
    a = earlier(w, birth_date=BORN)
    b = later(w, name="陈国栋", id_number=LIU_ID)  # another name; the ID number says born 1985-06-12
    (hit,) = [h for h in check(w, b) if h["other_case_id"] == a["id"]]
    assert (hit["match_rule"], hit["severity"], hit["blocks"]) == ("birth_date", "review", False)
    assert hit["score"] < 60 and "出生日期" in hit["explanation_zh"]
    r = w.as_("intake1").post(w.url(f"/cases/{b['id']}/conflict-check"), json={})
    assert r.json()["blocking"] == 0


def test_birth_date_with_a_name_rule_corroborates(world: World) -> None:
    w = world
    a = earlier(w, id_number=LIU_ID)  # birth date only inside the ID number
    plain = later(w, name="Zhang Xioaming")  # a romanised typo alone: near spelling, below 85
    (weak,) = [h for h in check(w, plain) if h["other_case_id"] == a["id"]]
    dated = later(w, name="Zhang Xioaming", birth_date=BORN)
    (strong,) = [h for h in check(w, dated) if h["other_case_id"] == a["id"]]
    assert weak["match_rule"] == strong["match_rule"] == "near_spelling"
    assert weak["score"] < 85 <= 96 == strong["score"]
    assert strong["severity"] == "waivable"  # the name still decides what the hit means


def test_a_different_birth_date_and_a_different_name_is_no_hit(world: World) -> None:
    w = world
    a = earlier(w, birth_date=BORN)
    b = later(w, name="陈国栋", birth_date="1985-06-13")
    assert [h for h in check(w, b) if h["other_case_id"] == a["id"]] == []


def declare(w: World, **body: Any) -> None:
    r = w.as_("lawyer1").post(w.url(f"/volunteers/{w.profiles['lawyer1']}/declarations"),
                              json={"kind": "firm_represents", "party_kind": "person", **body})
    assert r.status_code == 201, r.text


def test_firm_represents_the_opponent_in_this_very_case_is_not_waivable(world: World) -> None:
    w = world
    case = later(w, name="赵大海")
    declare(w, name="赵大海", case_id=case["id"], relation="本所在本案代理对方")
    (hit,) = [h for h in check(w, case) if h["source"] == "declaration"]
    assert (hit["severity"], hit["conflict_rule"]) == ("forbidden", "firm_both_sides")
    assert "第三十九条" in hit["article"] and "第五十一条第五项" in hit["article"]


def test_firm_represents_the_opponent_in_another_matter_is_waivable(world: World) -> None:
    w = world
    other = earlier(w)
    declare(w, name="赵大海", case_id=other["id"])
    case = later(w, name="赵大海")
    (hit,) = [h for h in check(w, case) if h["source"] == "declaration"]
    assert (hit["severity"], hit["conflict_rule"], hit["blocks"]) == ("waivable", "firm_represents_opponent", True)
    assert "第五十二条第三项" in hit["article"]
    # the colleague at the same firm is caught too; a lawyer of another firm is not
    (colleague,) = [h for h in check(w, case, "lawyer2") if h["source"] == "declaration"]
    assert colleague["severity"] == "waivable"
    (other_firm,) = [h for h in check(w, case, "junior1") if h["source"] == "declaration"]
    assert other_firm["severity"] == "info"


def test_a_case_id_only_on_firm_declarations(world: World) -> None:
    w = world
    case = later(w, name="赵大海")
    r = w.as_("lawyer1").post(w.url(f"/volunteers/{w.profiles['lawyer1']}/declarations"),
                              json={"kind": "relative", "name": "赵大海", "case_id": case["id"]})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "case_id"
