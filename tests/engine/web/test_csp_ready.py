"""The pages can run under a strict Content-Security-Policy (script-src 'self'; style-src 'self'):
no inline script, no inline style attribute, no inline event handler, no external origin."""

from __future__ import annotations

import re

from web_support import ID_NUMBER, PID, Browser, P, community, ok

INLINE = [(re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
          (re.compile(r"\sstyle\s*=", re.I), "style attribute"), (re.compile(r"<style", re.I), "<style> element"),
          (re.compile(r"\son[a-z]+\s*=", re.I), "inline event handler"),
          (re.compile(r"(src|href)=\"(https?:)?//", re.I), "another origin")]


def _clean(html: str) -> list[str]:
    return [what for pattern, what in INLINE if pattern.search(html)]


def test_every_page_is_csp_ready(api, eng) -> None:
    ids = community(api, eng)
    v = api.as_("zhangwei")
    ok(v.post(f"{P}/volunteers/me", json={"name": "张伟", "id_number": ID_NUMBER, "phone": "13800138000",
                                          "skills": ["陪伴聊天"]}), 201)
    pages = {"coord1": ["", "/needs", "/design", f"/design/shifts/{ids['shift']}", "/applications", "/roster",
                        f"/roster/shifts/{ids['shift']}", "/live", "/live/board", "/needs/report.md", "/incidents", "/records",
                        "/import", "/reports", "/rewards/redemptions"],
             "zhangwei": ["/me", "/me/register", "/opportunities", "/me/shifts", "/checkin", "/scan", "/me/hours",
                          "/rewards", "/rewards/ledger", "/me/records", "/me/leave"]}
    for user, paths in pages.items():
        b = Browser(api.url).login(user)
        for path in paths:
            r = b.get(f"/p/{PID}{path}")
            assert r.status_code == 200, (path, r.status_code)
            assert not _clean(r.text), (path, _clean(r.text))
        b.close()
    root = Browser(api.url).login("root")
    for path in ("/", "/admin", "/login"):
        assert not _clean(root.get(path).text), path
    root.close()
