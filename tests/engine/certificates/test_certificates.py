"""Certificates of service: request → accept → (notice) → issue; refusal naming who can issue; revocation;
the PDF (its text extracted); numbers unique per issuer and year."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from cert_helpers import served
from pypdf import PdfReader
from svc_helpers import load_service_programme

from engine import timeutil
from engine.certificates import pdf, verify
from engine.certificates import service as certs
from engine.certificates.bundles import make_bundle
from engine.certificates.transfer import import_bundle
from engine.errors import InvalidInput, WrongState
from engine.orgs import trust
from engine.orgs.service import organisation_of
from engine.people import mask_id_number


def issued(eng: Any, prog: Any, s: Any, vol: Any, **kw: Any) -> Any:
    cert = certs.request(s, prog, volunteer_id=vol.id, actor="zhang", **kw)
    certs.accept(s, prog, cert, actor="coord1")
    return certs.issue(s, prog, eng.host, cert, actor="coord1")


def test_issue_states_what_was_recorded_and_numbers_per_issuer_and_year(eng: Any, prog: Any, site: Any) -> None:
    with eng.session() as s:
        v = served(eng, prog, site, s)
        w = served(eng, prog, site, s, "李四")
        a, b = issued(eng, prog, s, v, purpose="升学"), issued(eng, prog, s, w)
        org = organisation_of(s, prog)
    assert org.slug == "ce-shi-zhi-yuan-fu-wu-zhan"
    assert (a.number, b.number) == (f"{org.slug}-2026-00001", f"{org.slug}-2026-00002")
    st = a.statement
    assert (st["holder"]["name"], st["minutes"], st["hours"], st["records"]) == ("张三", 210, 3.5, 2)
    assert st["holder"]["id_number_masked"] == mask_id_number(v.id_number)
    assert v.id_number not in str(st)
    assert (st["issuer"]["name"], st["content"], st["issued_on"], st["free_of_charge"]) == (
        "测试志愿服务站", "入口引导", "2026-05-11", True)
    assert [h["state"] for h in a.history] == ["requested", "accepted", "issued"]
    assert len(a.token) >= 32 and a.token != b.token
    # next year the numbers start again
    timeutil.set_clock(lambda: dt.datetime(2027, 1, 5, 9, tzinfo=dt.UTC))
    with eng.session() as s:
        c = issued(eng, prog, s, v)
    assert c.number == f"{org.slug}-2027-00001"


def test_refused_when_another_organisation_recorded_the_service(eng: Any, prog: Any, site: Any) -> None:
    other = load_service_programme(eng, "svc-elsewhere", org="异地志愿服务站")
    with eng.session() as s:
        v = served(eng, prog, site, s)
        with pytest.raises(InvalidInput) as wrong_issuer:
            certs.request(s, prog, volunteer_id=v.id, actor="zhang", issuer="yi-di-zhi-yuan-fu-wu-zhan")
        # the records move to the other organisation; it did not record them, so it cannot certify them
        org = organisation_of(s, prog)
        bundle = make_bundle(s, prog, org, v.id)
        theirs = organisation_of(s, other)
        key = bundle["signature"]
        trust.add(s, theirs, public_key=key["public_key"], issuer_name=org.name, actor="op")
        import_bundle(s, other, eng.host, bundle, actor="zhang", volunteer=v, by_self=True)
        with pytest.raises(InvalidInput) as elsewhere:
            certs.request(s, other, volunteer_id=v.id, actor="zhang")
    assert "请向记录服务的 测试志愿服务站 申请" in wrong_issuer.value.message
    assert wrong_issuer.value.details["can_issue"] == "ce-shi-zhi-yuan-fu-wu-zhan"
    assert "测试志愿服务站" in elsewhere.value.message and "only they can certify it" in elsewhere.value.message
    assert elsewhere.value.details["can_issue"] == ["测试志愿服务站"]


def test_nothing_recorded_is_refused_and_steps_keep_their_order(eng: Any, prog: Any, site: Any) -> None:
    with eng.session() as s:
        v = served(eng, prog, site, s)
        with pytest.raises(InvalidInput, match="no verified service recorded between 2026-06-01"):
            certs.request(s, prog, volunteer_id=v.id, actor="zhang", period_start=dt.date(2026, 6, 1))
        cert = certs.request(s, prog, volunteer_id=v.id, actor="zhang")
        with pytest.raises(WrongState):
            certs.issue(s, prog, eng.host, cert, actor="coord1")  # not accepted yet
        certs.refuse(s, cert, actor="coord1", reason="重复申请")
        assert cert.state == "refused" and cert.reason == "重复申请"
        with pytest.raises(WrongState):
            certs.accept(s, prog, cert, actor="coord1")


def test_public_notice_period_holds_issue_until_it_ends(eng: Any, prog: Any, site: Any, frozen_clock: Any) -> None:
    with eng.session() as s:
        v = served(eng, prog, site, s)
        cert = certs.request(s, prog, volunteer_id=v.id, actor="zhang")
        certs.accept(s, prog, cert, actor="coord1", notice_days=7)
        assert (cert.state, cert.notice_until) == ("notice", dt.date(2026, 5, 18))
        with pytest.raises(WrongState, match="2026-05-18"):
            certs.issue(s, prog, eng.host, cert, actor="coord1")
    timeutil.set_clock(lambda: frozen_clock + dt.timedelta(days=8))
    with eng.session() as s:
        cert = certs.get(s, prog, cert.id)
        assert certs.issue(s, prog, eng.host, cert, actor="coord1").state == "issued"


def test_revoked_certificate_verifies_as_revoked(eng: Any, prog: Any, site: Any) -> None:
    with eng.session() as s:
        v = served(eng, prog, site, s)
        cert = issued(eng, prog, s, v)
        assert verify.by_token(s, cert.token).status == "valid"
        certs.revoke(s, prog, eng.host, cert, actor="coord1", reason="记录有误")
        verdict = verify.by_token(s, cert.token)
        assert (verdict.found, verdict.status) == (True, "revoked")
        assert not verify.by_number(s, cert.number, "李四").found  # the number alone finds nothing
        assert verify.by_number(s, cert.number, " 张 三 ").status == "revoked"
        with pytest.raises(WrongState):
            certs.revoke(s, prog, eng.host, cert, actor="coord1", reason="again")


def test_pdf_is_a4_and_states_the_certificate_in_chinese(eng: Any, prog: Any, site: Any) -> None:
    with eng.session() as s:
        v = served(eng, prog, site, s)
        cert = issued(eng, prog, s, v)
        data = pdf.render_pdf(cert, None)
    reader = PdfReader(io.BytesIO(data))
    page = reader.pages[0]
    assert len(reader.pages) == 1
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert abs(width - 595.3) < 1 and abs(height - 841.9) < 1  # A4 in points
    text = "".join(page.extract_text().split())
    for expected in ("志愿服务记录证明", "张三", mask_id_number(v.id_number), "3.5", "入口引导",
                     "测试志愿服务站", "2026-05-11", cert.number, "无偿"):
        assert expected in text, expected
    assert v.id_number not in text


def test_seal_image_and_qr_are_drawn(eng: Any, prog: Any, site: Any) -> None:
    import segno

    buf = io.BytesIO()
    segno.make("seal").save(buf, kind="png", scale=10)
    with eng.session() as s:
        v = served(eng, prog, site, s)
        cert = issued(eng, prog, s, v)
        page = pdf.html(cert, buf.getvalue())
    assert "data:image/png;base64," in page and "data:image/svg+xml" in page
