"""The certificate as an A4 PDF (WeasyPrint): Chinese text in Noto CJK (Debian ``fonts-noto-cjk``,
installed by ``.ci/run``; any installed CJK serif is used as a fallback), the issuer's seal image, and a
QR code (segno) that opens the public verification page. Only what the certificate states is drawn:
the ID number appears masked. A revoked certificate is drawn with a "revoked" mark."""

from __future__ import annotations

import base64
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
import segno

from engine.certificates.models import Certificate
from engine.errors import WrongState
from engine.settings import get_settings

TEMPLATES = Path(__file__).with_name("templates")


@cache
def _env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True)


def verify_url(cert: Certificate) -> str:
    return f"{get_settings().public_url.rstrip('/')}/verify/{cert.token}"


def qr_data_uri(url: str) -> str:
    return str(segno.make(url, error="m").svg_data_uri(scale=4, border=2))


def html(cert: Certificate, seal_png: bytes | None) -> str:
    if cert.state not in ("issued", "revoked") or not cert.token:
        raise WrongState(f"证明 {cert.id} 尚未开具 / certificate {cert.id} has not been issued", state=cert.state)
    url = verify_url(cert)
    seal = "data:image/png;base64," + base64.b64encode(seal_png).decode("ascii") if seal_png else None
    return _env().get_template("certificate.html").render(
        s=cert.statement, qr=qr_data_uri(url), seal=seal, revoked=cert.state == "revoked",
        verify_host=urlsplit(url).netloc)


def render_pdf(cert: Certificate, seal_png: bytes | None) -> bytes:
    import weasyprint  # imported here: it loads Pango once, and only pages that draw PDFs need it

    return weasyprint.HTML(string=html(cert, seal_png)).write_pdf()  # type: ignore[no-any-return]
