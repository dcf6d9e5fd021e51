"""Certificates of service (志愿服务记录证明) and signed portable records.

* :mod:`.service` — the workflow 申请 → 受理 → (公示) → 开具, refusal, revocation, numbering.
* :mod:`.pdf` — the A4 PDF with the seal and a QR code to the public verification page.
* :mod:`.verify` — public verification (by token, or by number and holder's name), rate-limited.
* :mod:`.bundles` — signed record bundles (Ed25519); :mod:`.transfer` — consent and import.

志愿服务条例 第十九条: the organisation issues the record certificate truthfully and free of charge,
based on its records; 民政部令第67号 adds 谁记录谁证明 (see docs/certificates.md).
"""
