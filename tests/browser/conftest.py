"""Browser tests: Debian's chromium driven by Playwright (pytest-playwright), on a phone-sized
viewport, against the real app on a live server. Every page visited is screenshot into
``test-artifacts/screens/`` and checked with axe-core (0 serious or critical violations).
They run in CI's SQLite pass only (see .ci/run)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("VOLUNTEER_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(__file__).parents[2] / "test-artifacts" / "screens"
PHONE = {"width": 360, "height": 780}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (apt-get install chromium; .ci/run does it)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ["--no-sandbox"]}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # bypass_csp: only so that axe-core can be injected into the page under test
    return {**browser_context_args, "viewport": PHONE, "locale": "zh-CN", "bypass_csp": True,
            "device_scale_factor": 1, "is_mobile": True, "has_touch": True}


class Checker:
    """Screenshots and axe results for every page a journey visits."""

    def __init__(self, journey: str) -> None:
        from axe_playwright_python.sync_playwright import Axe

        self.axe = Axe()
        self.journey = journey
        self.n = 0
        self.report: list[tuple[str, int, list[str]]] = []
        SHOTS.mkdir(parents=True, exist_ok=True)

    def check(self, page, name: str) -> None:
        page.wait_for_load_state("load")
        self.n += 1
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        page.screenshot(path=str(SHOTS / f"{self.journey}-{self.n:02d}-{slug}.png"), full_page=True)
        results = self.axe.run(page)
        bad = [f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} node(s): "
               f"{v['nodes'][0]['target']}" for v in results.response["violations"]
               if v["impact"] in ("serious", "critical")]
        self.report.append((page.url, len(results.response["violations"]), bad))
        minor = sorted(f"{v['id']}({v['impact']})" for v in results.response["violations"]
                       if v["impact"] not in ("serious", "critical"))
        with (SHOTS.parent / "axe.tsv").open("a", encoding="utf-8") as f:
            f.write(f"{self.journey}\t{name}\t{len(bad)}\t{' '.join(minor)}\n")
        assert not bad, f"{name} ({page.url}) has serious accessibility problems:\n" + "\n".join(bad)


@pytest.fixture
def checker(request) -> Checker:
    return Checker(request.node.originalname.removeprefix("test_"))
