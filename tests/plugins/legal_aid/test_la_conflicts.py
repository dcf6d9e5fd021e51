"""Conflict of interest at intake and at assignment: each kind of hit, a clean case, waivers allowed and
forbidden, colleagues on opposite sides, a former client within a year."""

from __future__ import annotations

from typing import Any

import pytest
from la_helpers import World, days, idno, parties, today

ZHANG_ID = idno("19850612", "318")
FORMER = "北京旧名信息技术有限公司"


def earlier_case(w: World) -> dict[str, Any]:
    """An open case: client 张小明 (with ID), adverse 北京某某科技有限公司 (former name 北京旧名信息技术有限公司)."""
    return w.new_case(party_list=[
        {"role": "client", "kind": "person", "name": "张小明", "id_number": ZHANG_ID},
        {"role": "adverse", "kind": "org", "name": "北京某某科技有限公司", "aliases": [FORMER]}])


def check(w: World, case: dict[str, Any], who: str | None = "lawyer1") -> list[dict[str, Any]]:
    body = {"profile_id": w.profiles[who]} if who else {}
    r = w.as_("intake1").post(w.url(f"/cases/{case['id']}/conflict-check"), json=body)
    assert r.status_code == 200, r.text
    return r.json()["hits"]


@pytest.mark.parametrize(("adverse", "rule"), [
    ({"name": "王五", "id_number": ZHANG_ID}, "id_number"),
    ({"name": "张小明"}, "exact_name"),
    ({"name": "張小明"}, "traditional_form"),
    ({"name": "Zhang Xiaoming"}, "pinyin"),
    ({"name": "Zhang Xioaming"}, "near_spelling"),
])
def test_person_hits_on_another_case(world: World, adverse: dict[str, Any], rule: str) -> None:
    w = world
    a = earlier_case(w)
    b = w.new_case(party_list=[{"role": "client", "kind": "person", "name": "刘桂兰"},
                               {"role": "adverse", "kind": "person", **adverse}])
    hits = [h for h in check(w, b) if h["other_case_id"] == a["id"]]
    assert len(hits) == 1, hits
    h = hits[0]
    assert (h["match_rule"], h["other_case_number"], h["other_role"], h["other_name"]) == (
        rule, a["number"], "client", "张小明")
    # the other case's number is shown masked: the conflict index never holds it in clear (issue 9)
    assert h["matched"] == (ZHANG_ID[0] + "*" * 16 + ZHANG_ID[-1] if rule == "id_number" else "张小明")
    assert h["query_name"] == adverse.get("name") if rule != "id_number" else h["query_name"] == ZHANG_ID
    assert 60 <= h["score"] <= 100 and (h["score"] == 100) == (rule in ("id_number", "exact_name"))
    # against a current client of the programme: waivable (规范第五十二条第四项)
    assert (h["severity"], h["conflict_rule"], h["article"]) == ("waivable", "against_current_client",
                                                                   "《律师执业行为规范》第五十二条第四项")


def test_organisation_former_name_matches_a_declared_client_of_the_firm(world: World) -> None:
    w = world
    r = w.as_("lawyer1").post(w.url(f"/volunteers/{w.profiles['lawyer1']}/declarations"), json={
        "kind": "firm_client", "party_kind": "org", "name": "北京某某科技有限公司", "aliases": [FORMER]})
    assert r.status_code == 201, r.text
    b = w.new_case(party_list=[{"role": "client", "kind": "person", "name": "刘桂兰"},
                               {"role": "adverse", "kind": "org", "name": "旧名信息技术"}])
    (h,) = [h for h in check(w, b) if h["source"] == "declaration"]
    assert (h["match_rule"], h["matched"], h["declaration_kind"], h["declared_by"]) == (
        "org_alias", FORMER, "firm_client", "王建华")
    assert (h["severity"], h["article"]) == ("waivable", "《律师执业行为规范》第五十二条第四项")


def test_lawyers_own_declaration_cannot_be_waived(world: World) -> None:
    w = world
    r = w.as_("lawyer1").post(w.url(f"/volunteers/{w.profiles['lawyer1']}/declarations"), json={
        "kind": "relative", "name": "刘芳", "relation": "配偶", "id_number": idno("19800909", "242")})
    assert r.status_code == 201, r.text
    case = w.new_case(party_list=[*parties()[:1], {"role": "adverse", "kind": "person", "name": "刘芳"}])
    hits = [h for h in check(w, case) if h["source"] == "declaration"]
    h = next(h for h in hits if h["declared_by"] == "王建华" and h["declaration_kind"] == "relative")
    assert (h["match_rule"], h["severity"], h["conflict_rule"]) == ("exact_name", "forbidden", "own_interest")
    assert "《律师法》第三十九条" in h["article"] and "第五十一条第一项" in h["article"]

    w.to_cleared(case)  # the programme as a whole may take it; the lawyer may not
    reasons = "\n".join(w.refused("super1", case, "assign", {"profile_id": w.profiles["lawyer1"]}))
    assert "利益冲突" in reasons and "不可豁免" in reasons and h["party_ref"] in reasons
    r = w.as_("super1").post(w.url(f"/cases/{case['id']}/waivers"), json={
        "profile_id": w.profiles["lawyer1"], "party_ref": h["party_ref"], "client_consent_signed_on": today().isoformat(),
        "consent_document": "知情同意书 2026-001"})
    assert r.status_code == 422 and "不可豁免" in r.json()["detail"]["message"]
    # a colleague at the same firm: 规范第五十二条第一项, waivable; another firm: not a conflict
    (c,) = [x for x in check(w, case, "lawyer2") if x["party_ref"] == h["party_ref"]]
    assert (c["severity"], c["article"]) == ("waivable", "《律师执业行为规范》第五十二条第一项")
    (j,) = [x for x in check(w, case, "junior1") if x["party_ref"] == h["party_ref"]]
    assert j["severity"] == "info"
    w.assign(case, "junior1")


def test_waiver_with_signed_consent_unblocks_the_assignment(world: World) -> None:
    w = world
    earlier_case(w)
    case = w.new_case(party_list=[*parties()[:1], {"role": "adverse", "kind": "person", "name": "张小明"}])
    w.to_cleared(case)
    reasons = "\n".join(w.refused("super1", case, "assign", {"profile_id": w.profiles["lawyer1"]}))
    assert "第五十二条第四项" in reasons and "知情同意" in reasons
    ref = next(h["party_ref"] for h in check(w, case) if h["severity"] == "waivable")
    body = {"profile_id": w.profiles["lawyer1"], "party_ref": ref, "client_consent_signed_on": today().isoformat(),
            "consent_document": "知情同意书 2026-007"}
    assert w.as_("intake1").post(w.url(f"/cases/{case['id']}/waivers"), json=body).status_code == 403
    bad = {**body, "client_consent_signed_on": days(1)}
    assert w.as_("super1").post(w.url(f"/cases/{case['id']}/waivers"), json=bad).status_code == 422
    r = w.as_("super1").post(w.url(f"/cases/{case['id']}/waivers"), json=body)
    assert r.status_code == 201, r.text
    assert r.json()["article"] == "《律师执业行为规范》第五十二条第四项"
    w.assign(case)
    (h,) = [h for h in check(w, case) if h["party_ref"] == ref]
    assert h["waived"] is True and h["blocks"] is False


def test_clean_case_common_surname_alone_is_no_hit(world: World) -> None:
    w = world
    earlier_case(w)
    case = w.new_case(party_list=[{"role": "client", "kind": "person", "name": "张丽华"},
                                  {"role": "adverse", "kind": "person", "name": "张伟"},
                                  {"role": "related", "kind": "person", "name": "王"}])
    assert check(w, case) == [] and check(w, case, None) == []
    view = w.case(case["id"]).json()
    assert view["conflict_checks"][-1]["hits"] == 0
    w.to_cleared(case)
    w.assign(case)


def test_programme_never_acts_for_both_sides(world: World) -> None:
    w = world
    first = w.new_case(party_list=[{"role": "client", "kind": "person", "name": "陈静"},
                                   {"role": "adverse", "kind": "person", "name": "刘建军"}])
    w.to_cleared(first)
    w.assign(first)
    other = w.new_case(party_list=[{"role": "client", "kind": "person", "name": "刘建军"},
                                   {"role": "adverse", "kind": "person", "name": "陈静"}])
    w.ok("intake1", other, "precheck")
    w.ok("intake1", other, "verify")
    reasons = "\n".join(w.refused("intake1", other, "clear_conflicts"))
    assert "第五十一条第五项" in reasons and "应转介" in reasons
    (h, *_) = [h for h in check(w, other) if h["conflict_rule"] == "both_sides"]
    assert "《律师法》第三十九条" in h["article"]
    w.ok("intake1", other, "refer", {"referred_to": "某区法律援助中心", "reason": "对方是本中心受援人"})


def test_former_client_same_matter_within_a_year_is_waivable(world: World) -> None:
    w = world
    old = w.new_case(party_list=[{"role": "client", "kind": "person", "name": "黄志强"},
                                 {"role": "adverse", "kind": "person", "name": "孙丽娟"}])
    w.to_cleared(old)
    w.assign(old)
    w.ok("super1", old, "end_aid", {"ground": "client_request", "reason": "受援人要求终止"})
    new = w.new_case(party_list=[{"role": "client", "kind": "person", "name": "孙丽娟"},
                                 {"role": "adverse", "kind": "person", "name": "黄志强"}])
    w.to_cleared(new)  # the old case is closed: the programme may act
    mine = {h["conflict_rule"] for h in check(w, new, "lawyer1")}
    assert "against_former_client" in mine
    assert {h["severity"] for h in check(w, new, "lawyer2")} == {"info"}
    reasons = "\n".join(w.refused("super1", new, "assign", {"profile_id": w.profiles["lawyer1"]}))
    assert "第五十二条第五项" in reasons
    w.assign(new, "lawyer2")
