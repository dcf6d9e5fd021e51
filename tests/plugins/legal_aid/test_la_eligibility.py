"""Each eligibility branch of 《法律援助法》 as it surfaces through the case guards (precheck, verify, assign).

The example programme's hardship line: 1.5 × 低保 1,100 yuan = 1,650 yuan per household member a month.
"""

from __future__ import annotations

from typing import Any

from la_helpers import World, days

ALL_DOCS = ["identity_proof", "hardship_proof", "matter_evidence"]


def app(**kw: Any) -> dict[str, Any]:
    return {"matter": "labour_remuneration", "household_monthly_income": "2000", "household_size": 2,
            "documents": ALL_DOCS, **kw}


def text(reasons: list[str]) -> str:
    return "\n".join(reasons)


def rules_of(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["rule"]: r for r in view["precheck"]["rules"]}


def test_within_the_hardship_line_passes(world: World) -> None:
    case = world.new_case(application=app(household_monthly_income="3300"))  # exactly 1,650 each: inclusive
    assert rules_of(case)["economic_hardship"]["outcome"] == "passed"
    world.ok("intake1", case, "precheck")
    world.ok("intake1", case, "verify")


def test_above_the_hardship_line_is_refused_citing_article_34(world: World) -> None:
    w = world
    case = w.new_case(application=app(household_monthly_income="3302"))
    reasons = text(w.refused("intake1", case, "precheck"))
    assert "第三十四条" in reasons and "1650" in reasons
    assert case["precheck"]["decision"] == "not_eligible"
    assert rules_of(case)["economic_hardship"]["outcome"] == "failed"


def test_out_of_scope_matter_is_refused(world: World) -> None:
    case = world.new_case(application=app(matter="other"))
    reasons = text(world.refused("intake1", case, "precheck"))
    assert "第三十一条" in reasons and rules_of(case)["scope"]["outcome"] == "failed"


def test_already_represented_is_refused(world: World) -> None:
    case = world.new_case(application=app(already_represented=True))
    assert rules_of(case)["not_represented"]["outcome"] == "failed"
    assert "委托" in text(world.refused("intake1", case, "precheck"))


def test_article_32_lifts_the_means_test(world: World) -> None:
    case = world.new_case(application=app(matter="maintenance", household_monthly_income="90000",
                                          art32=["abuse_abandonment_domestic_violence"],
                                          documents=["identity_proof", "matter_evidence"]),
                          case_type="domestic_violence")
    assert rules_of(case)["art32_no_hardship_condition"]["outcome"] == "passed"
    assert "第三十二条第四项" in rules_of(case)["art32_no_hardship_condition"]["article"]
    world.ok("intake1", case, "precheck")
    world.ok("intake1", case, "verify")


def test_article_42_exemption_needs_its_proof(world: World) -> None:
    w = world
    case = w.new_case(application=app(household_monthly_income="90000", art42=["assistance_or_special_care_recipient"],
                                      documents=["identity_proof", "matter_evidence"]))
    w.ok("intake1", case, "precheck")
    reasons = text(w.refused("intake1", case, "verify"))
    assert "第四十二条所列人员的证明材料" in reasons
    r = w.as_("intake1").put(w.url(f"/cases/{case['id']}/application"), json=app(
        household_monthly_income="90000", art42=["assistance_or_special_care_recipient"],
        documents=["identity_proof", "matter_evidence", "art42_category_proof"]))
    assert r.status_code == 200, r.text
    w.ok("intake1", case, "verify")


def test_missing_documents_one_request_then_supplied(world: World) -> None:
    w = world
    case = w.new_case(application=app(documents=["identity_proof"]))
    w.ok("intake1", case, "precheck")
    reasons = text(w.refused("intake1", case, "verify"))
    assert "一次性告知" in reasons and "第四十三条第二款" in reasons
    url = w.url(f"/cases/{case['id']}/supplement-request")
    r = w.as_("intake1").post(url, json={})
    assert r.status_code == 200 and r.json()["supplement"]["documents"][0].startswith("经济困难状况说明")
    again = w.as_("intake1").post(url, json={})
    assert again.status_code == 409 and "一次性" in again.json()["detail"]["message"]
    assert "尚未收到" in text(w.refused("intake1", case, "verify"))
    kinds = {d["kind"]: d for d in w.case(case["id"]).json()["deadlines"]}
    assert kinds["supplement"]["status"] == "pending" and kinds["decision"]["status"] == "void"
    r = w.as_("intake1").post(w.url(f"/cases/{case['id']}/supplement-received"),
                              json={"documents": ["hardship_proof", "matter_evidence"]})
    assert r.status_code == 200, r.text
    w.ok("intake1", case, "verify")


def test_supplement_not_answered_counts_as_withdrawn(world: World) -> None:
    w = world
    case = w.new_case(application=app(documents=["identity_proof"]), received_on=days(-25))
    w.ok("intake1", case, "precheck")
    r = w.as_("intake1").post(w.url(f"/cases/{case['id']}/supplement-request"), json={"on": days(-20)})
    assert r.status_code == 200, r.text
    assert "视为撤回申请" in text(w.refused("intake1", case, "verify"))
    due = w.as_("coord1").get(w.url("/deadlines")).json()
    (row,) = [d for d in due if d["case_id"] == case["id"]]
    assert (row["kind"], row["status"], row["article"]) == ("supplement", "overdue", "《法律援助法》第四十三条第二款")
    w.ok("intake1", case, "withdraw", {"reason": "视为撤回申请（第四十三条第二款）"})


def test_provisional_aid_goes_ahead_before_documents(world: World) -> None:
    w = world
    case = w.new_case(application=app(documents=["identity_proof"], limitation_expires_on=days(3)))
    assert case["precheck"]["decision"] == "provisional_aid_recommended"
    assert "第四十四条第一款第一项" in rules_of(case)["provisional_aid"]["article"]
    w.ok("intake1", case, "precheck")
    w.ok("intake1", case, "verify")


def test_appointed_counsel_and_article_26_experience(world: World) -> None:
    w = world
    case = w.new_case(application={"matter": "criminal_defence", "art25": ["possible_life_or_death_sentence"]},
                      channel="notice")
    assert case["precheck"]["decision"] == "appointed_counsel"
    assert case["precheck"]["required_min_experience_years"] == 3
    assert case["deadlines"][0]["kind"] == "criminal_notice_assignment"
    assert case["deadlines"][0]["article"] == "《法律援助法》第三十六条"
    w.to_cleared(case)
    reasons = text(w.refused("super1", case, "assign", {"profile_id": w.profiles["junior1"]}))
    assert "第二十六条" in reasons and "3年以上" in reasons
    w.assign(case, "lawyer1")


def test_bad_application_is_a_422_naming_the_field(world: World) -> None:
    w = world
    body = {"case_type": "labour", "summary": "x", "parties": [{"role": "client", "name": "张三"}],
            "application": {"matter": "maintenance", "art25": ["minor"]}}
    r = w.as_("intake1").post(w.url("/cases"), json=body)
    assert r.status_code == 422 and "art25" in r.text
    r = w.as_("intake1").post(w.url("/cases"), json={**body, "application": app(), "case_type": "piracy"})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "case_type"
    r = w.as_("intake1").post(w.url("/cases"), json={**body, "application": app(), "parties": [
        {"role": "client", "name": "张三", "id_number": "110105198001011234"}]})
    assert r.status_code == 422 and "身份证号" in r.json()["detail"]["message"]


def test_coordinator_due_list_shows_overdue_decisions_without_names(world: World) -> None:
    w = world
    late = w.new_case(received_on=days(-10))
    fresh = w.new_case()
    due = w.as_("coord1").get(w.url("/deadlines")).json()
    (row,) = [d for d in due if d["case_id"] == late["id"]]
    assert (row["kind"], row["status"], row["due"], row["article"]) == (
        "decision", "overdue", days(-3), "《法律援助法》第四十三条第一款")
    assert "张丽华" not in str(due) and all(d["case_id"] != fresh["id"] for d in due)
    soon = w.as_("coord1").get(w.url("/deadlines"), params={"within_days": 7}).json()
    assert any(d["case_id"] == fresh["id"] for d in soon)
    assert w.as_("vol1").get(w.url("/deadlines")).status_code == 403
