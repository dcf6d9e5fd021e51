"""Shared fixtures: a real store (SQLite file, or PostgreSQL when VOLUNTEER_DATABASE_URL says so),
the tests' own third-party plan type, accounts for every role, and a live HTTP server."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# Cheap Argon2id parameters for the many test logins (see engine/auth/service.py); set before import.
os.environ.setdefault("VOLUNTEER_FAST_PASSWORD_HASH", "1")

HERE = Path(__file__).resolve().parent
PROGRAMMES = HERE / "programmes"
sys.path.insert(0, str(HERE / "plugin_pkg"))
sys.path.insert(0, str(HERE))

import vol_plan_demo  # noqa: E402
from tests_support import PASSWORD, ROLE_USERS, Api, make_users  # noqa: E402,F401

from engine.core import VolunteerEngine  # noqa: E402
from engine.http.app import create_app  # noqa: E402
from engine.testing import LiveServer, temp_engine  # noqa: E402

#: Folders whose tests take tens of seconds each (a time-bounded fuzz run, CLI processes, a browser):
#: run first, so that with ``-n 2`` the other worker takes the many short tests meanwhile and the run
#: does not end with one worker busy on a long test and the other idle.
LONG_FIRST = ("fuzz/", "e2e/", "browser/", "engine/scaffold/", "engine/plugins/test_installed_package.py")


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        where = Path(str(item.path)).resolve().relative_to(HERE).as_posix()
        return next((i for i, prefix in enumerate(LONG_FIRST) if where.startswith(prefix)), len(LONG_FIRST))

    items.sort(key=rank)  # stable: the order within each group is kept


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Drop the PostgreSQL test copies made ahead or dropped behind (engine/testing_store.py): an
    xdist worker exits without running atexit hooks."""
    from engine.testing_store import finish

    finish()


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tests' plan-type package installed with pip into its own folder (add it to PYTHONPATH)."""
    import subprocess

    target = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                    "--target", str(target), str(HERE / "plugin_pkg")], check=True, capture_output=True)
    return target


@pytest.fixture
def eng(tmp_path: Path) -> Iterator[VolunteerEngine]:
    with temp_engine(tmp_path, plugins=[("demo", vol_plan_demo)]) as e:
        yield e


@pytest.fixture
def demo(eng: VolunteerEngine):
    """The demo programme with every engine guard on."""
    return eng.load(PROGRAMMES / "demo_full.yaml")


@pytest.fixture
def api(eng: VolunteerEngine) -> Iterator[Api]:
    with LiveServer(create_app(eng)) as server:
        a = Api(server.url)
        yield a
        a.close()
