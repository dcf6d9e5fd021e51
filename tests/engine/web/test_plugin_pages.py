"""A plan type brings its own pages through ``volunteer_web_pages``: a tab, a dashboard panel and a
page, in the engine's layout and behind the same role checks — shown with a throwaway plugin."""


# No `from __future__ import annotations` here: FastAPI reads the page function's annotations, and
# this one is defined inside a function (a real plugin defines it at module level).
import types
from pathlib import Path

import vol_plan_demo
from tests_support import make_users
from web_support import Browser

from engine import hookimpl
from engine.http.app import create_app
from engine.testing import LiveServer, temp_engine

PROGRAMME = Path(__file__).parents[2] / "programmes" / "demo_full.yaml"


def _plugin(template_dir: Path) -> types.ModuleType:
    from fastapi import Request

    from engine.web import NavEntry, PageAccess, Panel, WebPages, page_router
    from engine.web.kit.render import render

    (template_dir / "standing.html").write_text(
        '{% extends "base.html" %}{% block body %}<h1>骨干名单 Backbone list</h1>'
        '<p id="who">{{ who }}</p>{% endblock %}', encoding="utf-8")
    (template_dir / "panel.html").write_text('<p id="panel">{{ panel.count }} 名骨干</p>', encoding="utf-8")
    router = page_router()

    @router.get("/p/{programme_id}/x/webdemo/standing")
    def standing(request: Request, access: PageAccess):
        access.require("admin", "coordinator", what="the backbone list")
        return render(request, "standing.html", {"who": access.actor})

    module = types.ModuleType("webdemo")

    @hookimpl
    def volunteer_web_pages():
        return WebPages(plan_type="demo", router=router, template_dir=str(template_dir),
                        nav=[NavEntry("standing", "骨干 Backbone", "x/webdemo/standing", ("admin", "coordinator"))],
                        panels=[Panel("backbone", "骨干 Backbone", "panel.html", lambda s, a: {"count": 7})])

    module.volunteer_web_pages = volunteer_web_pages
    return module


def test_plugin_pages_share_layout_nav_and_role_checks(tmp_path) -> None:
    plugin = _plugin(tmp_path)
    with temp_engine(tmp_path / "db", plugins=[("demo", vol_plan_demo), ("webdemo", plugin)]) as eng:
        eng.load(PROGRAMME)
        make_users(eng, "demo-full")
        with LiveServer(create_app(eng)) as server:
            c = Browser(server.url).login("coord1")
            dash = c.get("/p/demo-full")
            assert 'href="/p/demo-full/x/webdemo/standing"' in dash.text  # the tab
            assert '<p id="panel">7 名骨干</p>' in dash.text  # the panel, on the dashboard
            page = c.get("/p/demo-full/x/webdemo/standing")
            assert page.status_code == 200, page.text[-1500:]
            assert '<p id="who">coord1</p>' in page.text
            assert 'aria-current="page">骨干 Backbone' in page.text  # the engine's layout and navigation
            c.close()
            v = Browser(server.url).login("vol1")
            assert "x/webdemo" not in v.get("/p/demo-full/me").text  # no tab for a volunteer
            assert v.get("/p/demo-full/x/webdemo/standing").status_code == 403  # and no page
            v.close()


def test_the_demo_plan_type_brings_a_page_a_tab_and_a_panel(tmp_path) -> None:
    """The worked example of docs/plugin-authors.md (tests/plugin_pkg/vol_plan_demo/pages.py)."""
    with temp_engine(tmp_path / "db", plugins=[("demo", vol_plan_demo)]) as eng:
        eng.load(PROGRAMME)
        make_users(eng, "demo-full")
        with LiveServer(create_app(eng)) as server:
            c = Browser(server.url).login("coord1")
            dash = c.get("/p/demo-full")
            assert 'href="/p/demo-full/x/demo/helpers"' in dash.text and 'id="demo-helpers-panel"' in dash.text
            page = c.get("/p/demo-full/x/demo/helpers")
            assert page.status_code == 200 and '<b id="enrolled">0</b>' in page.text and "还差 2 人" in page.text
            c.close()
            v = Browser(server.url).login("vol1")
            assert v.get("/p/demo-full/x/demo/helpers").status_code == 403
            v.close()
