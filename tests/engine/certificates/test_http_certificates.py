"""Certificates over real HTTP: a volunteer requests one, a coordinator accepts and issues it, the PDF
downloads, the QR link's public page verifies it (and says "revoked" after revocation); lookup by
number needs the holder's name; lookups are rate-limited; the bundle-check page refuses a tampered file."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
from pypdf import PdfReader
from svc_helpers import Site
from tests_support import make_users
from web_support import Browser

from engine.people import mask_id_number


@pytest.fixture
def people(eng: Any, prog: Any, site: Site) -> dict[str, Any]:
    make_users(eng, prog.id)
    with eng.session() as s:
        post = site.post(s, site.project(s, "入口引导"), "入口引导员")
        v1 = site.volunteer(s, "张三", user_id=eng.auth.user(s, "vol1").id)
        return {"v1": v1.id, "post": post.id, "id_number": v1.id_number}


def issue_one(api: Any, prog: Any, people: dict[str, Any]) -> dict[str, Any]:
    coord, vol = api.as_("coord1"), api.as_("vol1")
    base = f"/programmes/{prog.id}"
    for day in ("01", "02"):
        r = coord.post(f"{base}/records", json={"volunteer_id": people["v1"], "started_at": f"2026-05-{day}T09:00",
                                                "ended_at": f"2026-05-{day}T11:00", "post_id": people["post"]})
        assert r.status_code == 201, r.text
    req = vol.post(f"{base}/certificates", json={"purpose": "升学"})
    assert req.status_code == 201, req.text
    cid = req.json()["id"]
    assert vol.post(f"{base}/certificates/{cid}/issue").status_code == 403  # only the organisation issues
    assert coord.post(f"{base}/certificates/{cid}/accept", json={}).json()["state"] == "accepted"
    issued = coord.post(f"{base}/certificates/{cid}/issue")
    assert issued.status_code == 200, issued.text
    return issued.json()


def test_request_issue_download_verify_revoke(api: Any, prog: Any, people: dict[str, Any]) -> None:
    cert = issue_one(api, prog, people)
    vol, coord = api.as_("vol1"), api.as_("coord1")
    pdf = vol.get(f"/programmes/{prog.id}/certificates/{cert['id']}/pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = "".join(PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text().split())
    assert "志愿服务记录证明" in text and "张三" in text and cert["number"] in text and "4.0" in text
    token = cert["verify_url"].rsplit("/", 1)[1]
    page = Browser(api.url)
    html = page.get(f"/verify/{token}").text
    assert "证明有效" in html and "张三" in html and cert["number"] in html
    masked = mask_id_number(people["id_number"])
    assert masked in html and people["id_number"] not in html
    assert "升学" not in html  # the page shows what the certificate states, not the request's notes
    public = api.anonymous()
    assert public.get(f"/public/certificates/{token}").json()["status"] == "valid"
    assert not public.get("/public/certificates", params={"number": cert["number"], "name": "李四"}).json()["found"]
    assert public.get("/public/certificates", params={"number": cert["number"], "name": "张三"}).json()["found"]
    assert "没有相符的证明" in page.get("/verify", params={"number": cert["number"], "name": "李四"}).text
    assert "证明有效" in page.get("/verify", params={"number": cert["number"], "name": "张三"}).text
    assert "没有相符的证明" in page.get("/verify/not-a-token").text
    r = coord.post(f"/programmes/{prog.id}/certificates/{cert['id']}/revoke", json={"reason": "记录有误"})
    assert r.status_code == 200 and r.json()["state"] == "revoked"
    assert "已撤销" in page.get(f"/verify/{token}").text
    assert public.get(f"/public/certificates/{token}").json()["status"] == "revoked"


def test_lookups_are_rate_limited(api: Any, prog: Any, people: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VOLUNTEER_VERIFY_RATE", "3/minute")
    public = api.anonymous()
    codes = [public.get("/public/certificates", params={"number": f"x-2026-{i:05d}", "name": "张三"}).status_code
             for i in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    refused = public.get("/public/certificates/abc")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert Browser(api.url).get("/verify/abc").status_code == 429


def test_volunteer_pages_and_bundle_check(api: Any, prog: Any, people: dict[str, Any]) -> None:
    cert = issue_one(api, prog, people)
    b = Browser(api.url).login("vol1")
    mine = b.get(f"/p/{prog.id}/me/certificates")
    assert mine.status_code == 200 and cert["number"] in mine.text
    pdf = b.get(f"/p/{prog.id}/me/certificates/{cert['id']}.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    again = b.post(f"/p/{prog.id}/me/certificates", {"period_start": "2026-05-01", "period_end": "2026-05-31"})
    assert again.status_code == 200 and "已申请" in again.text
    bundle = b.get(f"/p/{prog.id}/me/records/download", params={"format": "json"}).json()
    check = b.post("/verify/bundle", files={"file": ("b.json", json.dumps(bundle).encode(), "application/json")})
    assert check.status_code == 200 and "签名有效" in check.text and "测试志愿服务站" in check.text
    bundle["payload"]["records"][0]["minutes"] = 119
    bad = b.post("/verify/bundle", files={"file": ("b.json", json.dumps(bundle).encode(), "application/json")})
    assert "未通过核验" in bad.text
    staff = Browser(api.url).login("coord1").get(f"/p/{prog.id}/certificates")
    assert staff.status_code == 200 and "张三" in staff.text and re.search(r"/certificates/\d+/accept", staff.text)
