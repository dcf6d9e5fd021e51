"""A school year driven end to end over HTTP (the real app, in process): examples/youth.yaml, two
projects, minors and adults, guardians, consent, the safety file, service, credits, the portfolio,
and who may see what."""

from __future__ import annotations

import datetime as dt

from youth_helpers import EXAMPLE, idno

from engine.testing import client, create_users, frozen_clock

PID = "shiyan-2025"
B = f"/api/v1/programmes/{PID}"
Y = f"{B}/youth"


def ok(r, code: int = 200):  # type: ignore[no-untyped-def]
    assert r.status_code == code, (r.status_code, r.text)
    return r.json()


def test_a_school_year_over_http(eng) -> None:  # type: ignore[no-untyped-def]
    with frozen_clock("2025-09-01T08:00:00+08:00") as clock, client(eng) as http:
        eng.load(EXAMPLE)
        create_users(eng, PID, {"lead": ["league_teacher", "coordinator"], "admin1": "admin", "wu": "instructor",
                                "zhao": "instructor", "mum_li": "guardian", "dad_wang": "guardian",
                                "xiaoming": "volunteer", "fang": "volunteer"})
        names = ("lead", "admin1", "wu", "zhao", "mum_li", "dad_wang", "xiaoming", "fang")
        lead, admin, wu, zhao, mum, dad, xm, fang = (http.login(u) for u in names)

        # Quarter 1 — 招募与培训: design the year, register people
        ok(admin.post(f"{B}/needs", json={"title": "小学生课后辅导 After-school tutoring", "beneficiary_group": "留守儿童",
                                          "category": "课业辅导", "source": "survey", "frequency": 5, "urgency": 3,
                                          "people_affected": 60}), 201)
        life = ok(admin.get(f"{B}/lifecycle"))
        ok(admin.post(f"{B}/instances/{life['id']}/fire", json={"trigger": "start_design"}))
        tutoring = ok(lead.post(f"{B}/projects", json={"name": "四点半课堂 After-school class", "kind": "periodic"}), 201)
        museum = ok(lead.post(f"{B}/projects", json={"name": "博物馆小讲解员 Museum guides", "kind": "periodic"}), 201)
        p_tut = ok(lead.post(f"{B}/projects/{tutoring['id']}/posts",
                             json={"name": "辅导员 Tutor", "category": "tutoring", "capacity": 20}), 201)["id"]
        p_mus = ok(lead.post(f"{B}/projects/{museum['id']}/posts",
                             json={"name": "讲解员 Guide", "category": "museum_guide", "capacity": 20}), 201)["id"]
        shifts = {}
        for key, post, when in (("tut1", p_tut, "2025-10-14T16:30:00+08:00"), ("tut2", p_tut, "2025-12-09T16:30:00+08:00"),
                                ("leifeng", p_mus, "2026-03-05T09:00:00+08:00"), ("review", p_mus, "2026-05-16T09:00:00+08:00")):
            end = when.replace("T16:30", "T20:30").replace("T09:00", "T13:00")
            shifts[key] = ok(lead.post(f"{B}/posts/{post}/shifts", json={"starts_at": when, "ends_at": end}), 201)["id"]
        ok(lead.post(f"{Y}/teachers", json={"username": "wu", "name": "吴老师", "school": "示例中学"}), 201)
        ok(lead.post(f"{Y}/teachers", json={"username": "zhao", "name": "赵老师", "school": "另一中学"}), 201)
        ming = ok(wu.post(f"{Y}/students", json={
            "name": "李小明", "id_number": idno(dt.date(2011, 4, 2)), "school": "示例中学", "grade": "初二",
            "class_name": "3班", "guardian_username": "mum_li", "relationship": "母亲", "username": "xiaoming"}), 201)
        assert ming["held"] and ming["consent"] == "requested"
        fang_s = ok(wu.post(f"{Y}/students", json={
            "name": "王芳", "id_number": idno(dt.date(2012, 1, 9)), "school": "示例中学", "grade": "初一",
            "class_name": "1班", "guardian_username": "dad_wang", "relationship": "父亲", "username": "fang",
            "paper_consent_by": "王建国"}), 201)
        assert fang_s["held"] == [] and fang_s["consent"] == "given"
        other = ok(zhao.post(f"{Y}/students", json={
            "name": "陈晨", "id_number": idno(dt.date(2011, 7, 7)), "school": "另一中学", "grade": "初二",
            "class_name": "2班"}), 201)
        too_young = wu.post(f"{Y}/students", json={"name": "小不点", "id_number": idno(dt.date(2018, 1, 1)),
                                                   "school": "示例中学", "grade": "二年级", "class_name": "1班"})
        assert too_young.status_code == 422 and "第九条" in too_young.text
        mid, fid = ming["volunteer_id"], fang_s["volunteer_id"]

        # privacy: a teacher sees their school, a guardian their child, a student themselves
        assert {s["name"] for s in ok(wu.get(f"{Y}/students"))["students"]} == {"李小明", "王芳"}
        assert {s["name"] for s in ok(zhao.get(f"{Y}/students"))["students"]} == {"陈晨"}
        assert [s["name"] for s in ok(mum.get(f"{Y}/students"))["students"]] == ["李小明"]
        assert mum.get(f"{Y}/students/{fid}").status_code == 404
        assert xm.get(f"{Y}/students/{fid}").status_code == 404
        assert zhao.get(f"{Y}/students/{mid}/portfolio").status_code == 404
        assert "*" in ok(mum.get(f"{Y}/students/{mid}"))["id_number"]
        assert http.get(f"{Y}/students").status_code == 401

        # applications: 李小明 has no consent yet; Zhejiang lets a guardian's presence stand in, so the
        # application goes on with a note and each activity will ask for consent or a recorded presence
        apps = {}
        for vid in (mid, fid):
            apps[vid] = ok(lead.post(f"{B}/applications", json={"post_id": p_tut, "volunteer_id": vid}), 201)
        assert any("accompanied by a guardian" in n for n in apps[mid]["reminders"]), apps[mid]
        assert apps[fid]["reminders"] == []
        assert dad.post(f"{Y}/students/{mid}/consent", json={"status": "given"}).status_code == 404
        ok(mum.post(f"{Y}/students/{mid}/consent", json={"status": "given"}))
        for vid in (mid, fid):
            for trigger in ("screen", "offer", "agree", "activate"):
                ok(lead.post(f"{B}/applications/{apps[vid]['id']}/fire", json={"trigger": trigger}))
            ok(lead.post(f"{B}/assignments", json={"shift_id": shifts["tut1"], "volunteer_id": vid}), 201)

        # the safety file before the first activity
        r = wu.post(f"{Y}/activities/{shifts['tut1']}/start")
        assert r.status_code == 422
        for missing in ("no safety briefing", "no risk assessment", "no instructor teacher", "needs at least 1 adults"):
            assert missing in r.text, missing
        ok(wu.post(f"{Y}/activities/{shifts['tut1']}/briefing", json={"note": "交通安全 traffic safety"}))
        ok(wu.post(f"{Y}/activities/{shifts['tut1']}/risk", json={"summary": "校内教室 classroom", "dangerous": False}))
        assert wu.post(f"{Y}/activities/{shifts['tut1']}/risk/approve").status_code == 403
        ok(lead.post(f"{Y}/activities/{shifts['tut1']}/risk/approve"))
        ok(lead.post(f"{Y}/activities/{shifts['tut1']}/instructors", json={"username": "wu"}))
        assert ok(wu.get(f"{Y}/activities/{shifts['tut1']}/safety"))["missing"] == []
        clock.set("2025-10-14T16:25:00+08:00")
        lead, admin, wu, zhao, mum, dad, xm, fang = (http.login(u) for u in names)  # tokens from the new day
        assert ok(wu.post(f"{Y}/activities/{shifts['tut1']}/start"))["state"] == "running"
        clock.set("2025-10-14T21:00:00+08:00")
        lead, wu = http.login("lead"), http.login("wu")
        ok(wu.post(f"{Y}/activities/{shifts['tut1']}/finish"))

        # records: four hours each (the school caps one activity at 4 h)
        for vid in (mid, fid):
            ok(lead.post(f"{B}/records", json={"volunteer_id": vid, "post_id": p_tut, "started_at": "2025-10-14T16:30:00+08:00",
                                                "ended_at": "2025-10-14T20:30:00+08:00"}), 201)
        # more service through the year (recorded by the coordinator), a reflection, comments, preparation
        clock.set("2026-06-01T09:00:00+08:00")
        lead, admin, wu, zhao, mum, dad, xm, fang = (http.login(u) for u in names)
        for day in ("2025-12-09", "2026-03-05", "2026-03-12", "2026-05-16"):
            post = p_tut if day.startswith("2025") else p_mus
            ok(lead.post(f"{B}/records", json={"volunteer_id": mid, "post_id": post, "started_at": f"{day}T09:00:00+08:00",
                                                "ended_at": f"{day}T13:00:00+08:00"}), 201)
        assert fang.post(f"{Y}/students/{mid}/reflections", json={"text": "x"}).status_code == 404
        assert wu.post(f"{Y}/students/{mid}/reflections", json={"text": "x"}).status_code == 403
        ok(xm.post(f"{Y}/students/{mid}/reflections", json={"text": "辅导小同学让我更有耐心", "project_id": tutoring["id"]}), 201)
        ok(wu.post(f"{Y}/students/{mid}/comments", json={"text": "认真负责 / responsible"}), 201)
        ok(wu.post(f"{Y}/students/{mid}/components", json={"project_id": tutoring["id"], "component": "preparation"}), 201)
        bad = wu.post(f"{Y}/students/{mid}/components", json={"project_id": tutoring["id"], "component": "fun"})
        assert bad.status_code == 422 and "preparation" in bad.text

        # the year's plan by quarter
        quarters = ok(lead.get(f"{Y}/year"))["quarters"]
        assert [len(q["activities"]) for q in quarters] == [1, 1, 1, 1]
        assert quarters[0]["activities"][0]["state"] == "done" and "学雷锋" in quarters[2]["name"]

        # credits: tutoring counts (all three components); the museum project lacks preparation and reflection
        credits = {c["scheme"]: c for c in ok(xm.get(f"{Y}/students/{mid}/credits"))["schemes"]}
        practice = credits["practice"]
        assert practice["total"] == "0.5" and practice["hours_counted"] == "8"
        assert len(practice["not_counted"]) == 3 and "preparation" in practice["not_counted"][0]["reason"]
        assert any("5.5 credits still missing" in m for m in practice["missing"])
        assert credits["moral"]["total"] == "2.0"       # 8 h autumn → 1, 12 h spring → 1.5, capped at 1 a term
        port = ok(mum.get(f"{Y}/students/{mid}/portfolio"))
        assert port["hours"] == "20.00" and port["reflections"][0]["text"].startswith("辅导")
        assert port["still_missing"] == practice["missing"]
        assert port["awards"][0]["level"] is None and port["awards"][0]["next"]["level"] == "铜 Bronze"
        page = mum.get(f"{Y}/students/{mid}/portfolio.html")
        assert page.status_code == 200 and "成长档案" in page.text and "王芳" not in page.text
        csv_text = wu.get(f"{Y}/students/{mid}/evaluation.csv").content.decode("utf-8-sig")
        assert csv_text.count("\n") == 6 and "四点半课堂" in csv_text
        pdf = xm.get(f"{Y}/students/{mid}/portfolio.pdf")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF"), pdf.text[:300]
        assert other["volunteer_id"] not in [s["volunteer_id"] for s in ok(mum.get(f"{Y}/students"))["students"]]
