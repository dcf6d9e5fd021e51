"""Registration in the pages records consent, not just a ticked box: when the registrant agreed, and
for a minor the guardian's name, relationship, phone and the time of their consent."""

from __future__ import annotations

import datetime as dt

from web_support import PID, Browser, P, community, ok, programme_text

from engine.people.idcard import check_character


def _minor_id_number() -> str:
    born = dt.date.today().replace(day=1) - dt.timedelta(days=15 * 366)
    first17 = f"440803{born:%Y%m%d}003"
    return first17 + check_character(first17)


def test_registration_stores_the_consents(api, eng) -> None:
    ids = community(api, eng)
    text = programme_text().replace("timezone: Asia/Shanghai",
                                    "timezone: Asia/Shanghai\nrecruitment: {minors_allowed: true, min_age: 14}")
    ok(ids["root"].post("/programmes", json={"yaml": text, "filename": "community.yaml"}), 201)
    v = Browser(api.url).login("zhangwei")
    try:
        form = {"name": "张小伟", "id_number": _minor_id_number(), "phone": "13800138000", "consent": "yes",
                "guardian_name": "张大伟", "guardian_relationship": "父亲", "guardian_phone": "not a phone"}
        r = v.post(f"/p/{PID}/me/register", form)  # refused at the guardian's phone, what was typed kept
        assert r.status_code == 422 and 'id="err-guardian_phone"' in r.text and 'value="张大伟"' in r.text
        r = v.post(f"/p/{PID}/me/register", {**form, "guardian_phone": "13900139000"})
        assert r.status_code == 422  # a minor without the guardian's consent ticked
        r = v.post(f"/p/{PID}/me/register", {**form, "guardian_phone": "13900139000", "guardian_consent": "yes"})
        assert r.status_code == 200 and r.url.path == f"/p/{PID}/me", r.text[-800:]
        assert "张大伟" in r.text and "父亲" in r.text  # the consent on record, on the volunteer's own page
        rows = ok(ids["coord"].get(f"{P}/enrolments"))
        row = next(e for e in (rows["items"] if isinstance(rows, dict) else rows) if e["guardian_name"] == "张大伟")
        assert row["guardian_relationship"] == "父亲" and row["guardian_consent"] is True
        assert row["guardian_phone"] != "13900139000" and row["guardian_phone"].endswith("9000")  # masked
        assert row["consent_at"] and row["guardian_consent_at"]
    finally:
        v.close()
