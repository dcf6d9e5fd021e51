"""Qualifications and services: document review by a senior, student limits (第十七条), consent before a
consultation, former judges (《律师法》第四十一条), talks, profiles."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from la_helpers import PID, World, days, idno, today


@pytest.fixture
def case(world: World) -> dict[str, Any]:
    """In progress: lawyer1 represents, student1 and junior1 assist, consent on record."""
    w = world
    c = w.new_case()
    w.to_cleared(c)
    w.assign(c)
    for who in ("student1", "junior1"):
        r = w.as_("super1").post(w.url(f"/cases/{c['id']}/members"),
                                 json={"profile_id": w.profiles[who], "role": "assistant"})
        assert r.status_code == 201, r.text
    return c


def doc_fire(w: World, user: str, doc: dict[str, Any], trigger: str, payload: dict[str, Any] | None = None) -> Any:
    return w.as_(user).post(f"/programmes/{PID}/instances/{doc['instance_id']}/fire",
                            json={"trigger": trigger, "payload": payload or {}})


def test_student_draft_is_reviewed_by_a_senior_before_it_goes_out(world: World, case: dict[str, Any]) -> None:
    w = world
    r = w.as_("student1").post(w.url("/documents"), json={"case_id": case["id"], "doc_type": "劳动仲裁申请书",
                                                          "title": "张丽华诉宏达公司劳动报酬争议仲裁申请书"})
    assert r.status_code == 409 and "知情同意" in r.json()["detail"]["message"]  # consent comes first
    w.consent(case)
    r = w.as_("student1").post(w.url("/documents"), json={"case_id": case["id"], "doc_type": "劳动仲裁申请书",
                                                          "title": "张丽华诉宏达公司劳动报酬争议仲裁申请书"})
    assert r.status_code == 201, r.text
    doc = r.json()
    assert doc["state"] == "draft"
    r = doc_fire(w, "student1", doc, "send")
    assert r.status_code == 422 and "资深律师审核" in r.text
    assert doc_fire(w, "student1", doc, "submit").status_code == 200
    assert doc_fire(w, "student1", doc, "approve").status_code == 403  # role
    r = doc_fire(w, "junior1", doc, "approve")
    assert r.status_code == 422 and "只有资深律师" in r.text
    assert doc_fire(w, "lawyer2", doc, "approve").status_code == 200  # a senior, not on the case, may review
    r = doc_fire(w, "student1", doc, "send")
    assert r.status_code == 200 and r.json()["state"] == "sent"
    listed = {d["id"]: d for d in w.as_("lawyer1").get(w.url("/documents")).json()}
    assert listed[doc["id"]]["reviewer_profile_id"] == w.profiles["lawyer2"] and listed[doc["id"]]["sent_on"]
    assert doc["id"] not in {d["id"] for d in w.as_("vol1").get(w.url("/documents")).json()}


def test_senior_sends_own_draft_and_may_not_review_it(world: World, case: dict[str, Any]) -> None:
    w = world
    w.consent(case)
    doc = w.as_("lawyer1").post(w.url("/documents"), json={"case_id": case["id"], "doc_type": "起诉状",
                                                           "title": "起诉状"}).json()
    assert doc_fire(w, "lawyer1", doc, "submit").status_code == 200
    r = doc_fire(w, "lawyer1", doc, "approve")
    assert r.status_code == 422 and "起草人不能审核" in r.text
    assert doc_fire(w, "lawyer1", doc, "return").status_code == 422
    assert doc_fire(w, "teacher1", doc, "return").status_code == 200  # law teachers review in this programme
    assert doc_fire(w, "lawyer1", doc, "send").status_code == 200  # a senior's own draft needs no review


def test_students_act_only_when_organised_by_an_institution(world: World) -> None:
    w = world
    r = w.as_("coord1").post(w.url("/volunteers"), json={
        "kind": "law_student", "person": {"name": "郑自学", "id_number": idno("20040101", "191")}})
    assert r.status_code == 201, r.text
    loner = r.json()["id"]
    w.as_("coord1").post(w.url(f"/volunteers/{loner}/agreements"),
                         json={"confidentiality_signed_on": days(-1), "no_payment_signed_on": days(-1)})
    consult = {"channel": "walk_in", "topic": "labour", "question": "被拖欠工资怎么办", "answer": "可申请劳动仲裁",
               "consent_given": True, "service_point": "city-trade-union"}
    r = w.as_("super1").post(w.url("/consultations"), json={**consult, "profile_id": loner})
    assert r.status_code == 403 and "第十七条第二款" in r.json()["detail"]["message"]
    r = w.as_("super1").post(w.url("/documents"), json={"doc_type": "答辩状", "title": "x", "drafter_profile_id": loner})
    assert r.status_code == 403 and "第十七条第二款" in r.json()["detail"]["message"]
    r = w.as_("student1").post(w.url("/consultations"), json=consult)
    assert r.status_code == 201, r.text


def test_consent_before_any_consultation(world: World) -> None:
    w = world
    body = {"channel": "phone", "topic": "consumer", "question": "网购退货", "answer": "七日无理由退货",
            "consent_given": False, "client_name": "陈女士", "satisfaction": 4}
    r = w.as_("lawyer1").post(w.url("/consultations"), json=body)
    assert r.status_code == 422 and r.json()["detail"]["field"] == "consent_given"
    assert w.as_("lawyer1").post(w.url("/consultations"), json={**body, "consent_given": True}).status_code == 201
    assert w.as_("coord1").get(w.url("/consultations")).json()[0]["client_name"] == "陈**"
    assert w.as_("intake1").get(w.url("/consultations")).json()[0]["client_name"] == "陈女士"
    assert [c["topic"] for c in w.as_("lawyer1").get(w.url("/consultations")).json()] == ["consumer"]
    assert w.as_("lawyer2").get(w.url("/consultations")).json() == []
    assert w.as_("vol1").get(w.url("/consultations")).status_code == 403


def test_former_judge_waits_two_years(world: World) -> None:
    w = world
    r = w.as_("coord1").post(w.url("/volunteers"), json={
        "kind": "lawyer", "person": {"name": "冯法官", "id_number": idno("19650101", "201")},
        "licence_no": "11101202510000009", "issuing_body": "某市司法局", "licence_valid_until": days(365),
        "years_of_practice": 1, "expertise": ["labour"], "former_office": "judge", "left_office_on": days(-365)})
    assert r.status_code == 201, r.text
    judge = r.json()["id"]
    w.as_("coord1").post(w.url(f"/volunteers/{judge}/agreements"),
                         json={"confidentiality_signed_on": days(-1), "no_payment_signed_on": days(-1)})
    c = w.new_case()
    w.to_cleared(c)
    reasons = "\n".join(w.refused("super1", c, "assign", {"profile_id": judge}))
    assert "《律师法》第四十一条" in reasons and "曾任法官" in reasons


def test_profiles_validate_and_mask(world: World) -> None:
    w = world
    base = {"kind": "lawyer", "person": {"name": "何律师", "id_number": idno("19800202", "211")}}
    r = w.as_("coord1").post(w.url("/volunteers"), json=base)
    assert r.status_code == 422 and r.json()["detail"]["field"] == "licence_no"
    r = w.as_("coord1").post(w.url("/volunteers"), json={**base, "kind": "law_teacher", "expertise": ["piracy"]})
    assert r.status_code == 422 and r.json()["detail"]["field"] == "expertise"
    r = w.as_("coord1").post(w.url("/volunteers"), json={"kind": "law_student", "volunteer_id": 1})
    assert r.status_code == 409
    assert w.as_("lawyer1").post(w.url("/volunteers"), json=base).status_code == 403
    me = w.as_("lawyer1").get(w.url(f"/volunteers/{w.profiles['lawyer1']}")).json()
    assert me["id_number"].endswith(me["id_number"][-4:]) and "*" not in me["id_number"]
    assert me["seniority"] == "senior" and me["may_review"] and me["licence_valid"] and me["duties"] == []
    junior = w.as_("super1").get(w.url(f"/volunteers/{w.profiles['junior1']}")).json()
    assert junior["seniority"] == "junior" and not junior["may_review"]
    expired = w.as_("super1").get(w.url(f"/volunteers/{w.profiles['expired1']}")).json()
    assert expired["licence_valid"] is False
    unsigned = w.as_("super1").get(w.url(f"/volunteers/{w.profiles['unsigned1']}")).json()
    assert len(unsigned["duties"]) == 2
    assert w.as_("lawyer1").get(w.url(f"/volunteers/{w.profiles['lawyer2']}")).status_code == 403
    r = w.as_("coord1").patch(w.url(f"/volunteers/{w.profiles['expired1']}"), json={"licence_valid_until": days(300)})
    assert r.status_code == 200 and r.json()["licence_valid"] is True
    decl = w.as_("lawyer1").get(w.url(f"/volunteers/{w.profiles['lawyer1']}/declarations")).json()
    assert [d["kind"] for d in decl] == ["self"]  # written automatically


def test_talks(world: World) -> None:
    w = world
    body = {"title": "农民工讨薪维权讲座", "topic": "wage_arrears", "place": "市总工会礼堂", "audience": "农民工",
            "headcount": 160, "held_on": today().isoformat(), "service_point": "city-trade-union",
            "speaker_profile_id": w.profiles["lawyer1"]}
    assert w.as_("lawyer1").post(w.url("/talks"), json=body).status_code == 201
    assert w.as_("lawyer1").post(w.url("/talks"), json={**body, "held_on": days(2)}).status_code == 422
    assert w.as_("vol1").post(w.url("/talks"), json=body).status_code == 403
    assert [t["headcount"] for t in w.as_("vol1").get(w.url("/talks")).json()] == [160]


def test_posts_asking_for_a_licensed_lawyer(world: World) -> None:
    from plugins.legal_aid.eligibility import post_problems

    w = world
    post = SimpleNamespace(name="驻点律师", qualifications=["licensed_lawyer"])
    with w.eng.session() as s:
        prog = w.eng.programme(PID, s)
        from plugins.legal_aid.models import LegalVolunteerProfile as P

        def vol(user: str) -> Any:
            return SimpleNamespace(id=s.get(P, w.profiles[user]).volunteer_id)

        assert post_problems(s, prog, vol("lawyer1"), post, today()) == []
        assert "《律师法》第十三条" in post_problems(s, prog, vol("expired1"), post, today())[0]
        assert "第十七条第二款" in post_problems(
            s, prog, vol("lawyer1"), SimpleNamespace(name="助理", qualifications=["law_student"]), today())[0]
        answers = w.eng.host.call("volunteer_check_eligibility", plan_type="legal_aid", volunteer=vol("student1"),
                                  post=post, programme=prog, session=s, on=today())
        assert any("持有效执业证" in r for a in answers for r in a)
