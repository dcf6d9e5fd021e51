"""The whole case flow through the HTTP API, intake to archive, every guard enforced and explained."""

from __future__ import annotations

from la_helpers import World, today


def joined(reasons: list[str]) -> str:
    return "\n".join(reasons)


def test_intake_to_archive(world: World) -> None:
    w = world
    case = w.new_case()
    assert case["state"] == "registered" and case["number"].startswith(f"LA{today().year}-")
    assert case["precheck"]["decision"] == "eligible"
    assert {d["kind"] for d in case["deadlines"]} == {"decision"}
    assert case["deadlines"][0]["article"] == "《法律援助法》第四十三条第一款"
    assert case["conflict_checks"][0]["occasion"] == "intake"

    # 条件初审 / 信息核实 / 利益冲突审查: roles are enforced (a lawyer may not pre-check)
    assert w.fire("lawyer1", case, "precheck").status_code == 403
    w.to_cleared(case)
    view = w.case(case["id"]).json()
    assert view["state"] == "cleared" and view["decided_on"] == today().isoformat() and view["aid_granted"] is True
    assert {d["kind"]: d["status"] for d in view["deadlines"]} == {"decision": "met", "assignment": "pending"}

    # 指派: every refusal explained
    assert "profile_id" in joined(w.refused("super1", case, "assign"))
    reasons = joined(w.refused("super1", case, "assign", {"profile_id": w.profiles["student1"]}))
    assert "法学专业学生只能作为" in reasons and "第十七条第二款" in reasons
    reasons = joined(w.refused("super1", case, "assign", {"profile_id": w.profiles["expired1"]}))
    assert "已过期" in reasons and "《律师法》第十三条" in reasons
    reasons = joined(w.refused("super1", case, "assign", {"profile_id": w.profiles["unsigned1"]}))
    assert "保密协议" in reasons and "第二十一条" in reasons and "不收取任何财物" in reasons and "第二十条" in reasons
    reasons = joined(w.refused("super1", case, "assign", {"profile_id": w.profiles["teacher1"]}))
    assert "只有持有律师执业证" in reasons or "only a licensed lawyer" in reasons
    assert w.fire("intake1", case, "assign", {"profile_id": w.profiles["lawyer1"]}).status_code == 403
    w.assign(case)
    view = w.case(case["id"]).json()
    assert view["state"] == "assigned" and [m["name"] for m in view["members"]] == ["王建华"]
    assert {d["kind"]: d["status"] for d in view["deadlines"]}["assignment"] == "met"
    assert [c["occasion"] for c in view["conflict_checks"]][:1] == ["assignment"]

    # 学生助理 on a case that has a lawyer: the case's lawyer adds them
    r = w.as_("lawyer1").post(w.url(f"/cases/{case['id']}/members"),
                              json={"profile_id": w.profiles["student1"], "role": "assistant"})
    assert r.status_code == 201, r.text

    # 评估: only the case's lawyer, only after informed consent, only when complete
    evaluation = {"merits": "证据充分，欠薪事实清楚", "risk": "用人单位可能转移财产", "resources": "需劳动仲裁经验，1 名律师 1 名助理",
                  "recommendation": "accept", "reasons": "符合援助条件，胜诉可能性高"}
    assert w.fire("lawyer2", case, "submit_evaluation", evaluation).status_code == 403  # not on the case
    r = w.as_("super1").post(w.url(f"/cases/{case['id']}/members"),
                             json={"profile_id": w.profiles["junior1"], "role": "assistant"})
    assert r.status_code == 201, r.text
    assert "只有本案指派的律师" in joined(w.refused("junior1", case, "submit_evaluation", evaluation))
    assert "知情同意" in joined(w.refused("lawyer1", case, "submit_evaluation", evaluation))
    w.consent(case)
    assert "risk" in joined(w.refused("lawyer1", case, "submit_evaluation", {"merits": "x", "recommendation": "maybe"}))
    w.ok("lawyer1", case, "submit_evaluation", evaluation)
    assert w.fire("lawyer1", case, "accept").status_code == 403  # supervisor review at evaluation
    w.ok("super1", case, "accept", {"note": "同意立项"})

    # 办理: work log by the lawyer and the assistant; closure needs a report to the supervisor
    for who, kind in (("lawyer1", "work"), ("student1", "work")):
        r = w.as_(who).post(w.url(f"/cases/{case['id']}/work-log"), json={"kind": kind, "content": "整理证据、起草仲裁申请书"})
        assert r.status_code == 201, r.text
    assert w.as_("lawyer2").post(w.url(f"/cases/{case['id']}/work-log"), json={"content": "x"}).status_code == 403
    closure = {"result": "mediated", "client_satisfaction": 5, "client_feedback": "很满意",
               "closure_report": "经劳动仲裁委调解，用人单位一次性支付欠薪 2.4 万元。"}
    assert "汇报" in joined(w.refused("lawyer1", case, "submit_closure", closure))
    r = w.as_("lawyer1").post(w.url(f"/cases/{case['id']}/work-log"), json={"kind": "report", "content": "调解进展汇报"})
    assert r.status_code == 201
    reasons = joined(w.refused("lawyer1", case, "submit_closure", {"result": "settled"}))
    assert "result" in reasons and "closure_report" in reasons and "client_satisfaction" in reasons
    w.ok("lawyer1", case, "submit_closure", closure)
    assert w.fire("lawyer1", case, "approve_closure").status_code == 403  # supervisor review at closure
    w.ok("super1", case, "return_closure", {"note": "请补充调解书编号"})
    w.ok("lawyer1", case, "submit_closure", closure)
    w.ok("super1", case, "approve_closure")
    view = w.case(case["id"]).json()
    assert view["state"] == "closed" and view["result"] == "mediated" and view["client_satisfaction"] == 5
    assert [r["decision"] for r in view["evaluation"]["reviews"]] == ["accept", "return:return_closure",
                                                                      "approve_closure"]

    # 归档: read-only afterwards
    w.ok("intake1", case, "archive")
    view = w.case(case["id"]).json()
    assert view["state"] == "archived" and view["available"] == []
    for path, body in (("/work-log", {"content": "x"}), ("/parties", {"role": "related", "name": "某某"}),
                       ("/consent", {"signed_on": today().isoformat(), "informed_of": ["content"]})):
        r = w.as_("super1").post(w.url(f"/cases/{case['id']}{path}"), json=body)
        assert r.status_code in (409, 422), (path, r.text)
    r = w.as_("super1").post(w.url(f"/cases/{case['id']}/parties"), json={"role": "related", "name": "某某"})
    assert r.status_code == 409 and "只读" in r.json()["detail"]["message"]


def test_blocked_triggers_are_explained_on_the_case(world: World) -> None:
    w = world
    case = w.new_case(application={"matter": "labour_remuneration", "household_monthly_income": "2000",
                                   "household_size": 2, "documents": ["identity_proof"]})
    w.ok("intake1", case, "precheck")
    view = w.case(case["id"]).json()
    blocked = {b["trigger"]: b for b in view["blocked"]}
    assert "第四十三条第二款" in joined(blocked["verify"]["reasons"])
    assert "与所申请法律援助事项有关的证据材料" in joined(blocked["verify"]["reasons"])
    assert [d["document"] for d in view["precheck"]["missing_documents"]] == ["hardship_proof", "matter_evidence"]


def test_decline_notice_cites_articles_43_and_49(world: World) -> None:
    w = world
    case = w.new_case()
    assert "reason" in joined(w.refused("super1", case, "decline"))
    w.ok("super1", case, "decline", {"reason": "非本中心受理范围"})
    view = w.case(case["id"]).json()
    assert view["state"] == "declined" and view["aid_granted"] is False
    assert "第四十三条第一款" in view["notice"]["refusal_zh"]
    assert view["notice"]["appeal"]["article"] == "《法律援助法》第四十九条" and view["notice"]["appeal"]["review_days"] == 5
    w.ok("super1", case, "archive")


def test_refer_and_withdraw_and_end_aid(world: World) -> None:
    w = world
    a = w.new_case()
    assert "referred_to" in joined(w.refused("intake1", a, "refer", {"reason": "x"}))
    w.ok("intake1", a, "refer", {"referred_to": "某区法律援助中心", "reason": "属刑事案件"})
    assert w.case(a["id"]).json()["result"] == "referred"

    b = w.new_case()
    w.ok("intake1", b, "withdraw", {"reason": "申请人撤回"})
    assert w.case(b["id"]).json()["result"] == "withdrawn"

    c = w.new_case()
    w.to_cleared(c)
    w.assign(c)
    reasons = joined(w.refused("super1", c, "end_aid", {"ground": "bored"}))
    assert "第四十八条第一款" in reasons and "self_retained_counsel" in reasons
    w.ok("super1", c, "end_aid", {"ground": "self_retained_counsel", "reason": "受援人已自行委托律师"})
    view = w.case(c["id"]).json()
    assert view["ending_ground"]["article"] == "《法律援助法》第四十八条第一款第六项"
    assert view["notice"]["appeal"]["article"] == "《法律援助法》第四十九条"


def test_lists_and_candidates(world: World) -> None:
    w = world
    case = w.new_case()
    w.to_cleared(case)
    cands = w.as_("super1").get(w.url(f"/cases/{case['id']}/candidates")).json()
    eligible = [c["name"] for c in cands if c["eligible"]]
    assert eligible[:2] == ["李明远", "王建华"] or set(eligible) == {"李明远", "王建华", "赵小青"}
    assert {c["name"] for c in cands if not c["eligible"]} == {"钱多多", "孙若愚"}
    listed = w.as_("intake1").get(w.url("/cases")).json()
    assert listed[0]["clients"] == ["张丽华"]
