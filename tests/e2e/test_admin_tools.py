"""The admin's tools agree (docs/admin.md): `check` reports what `load`/`serve` would refuse, with its
line, for files and folders; `init` works for every installed plan type and its examples can be
uncommented as they are; every command finds the same database from a project file; the CLI speaks
in the programme's time; `draw` fits a page."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parents[2] / "examples"
PROGRAMME = Path(__file__).parents[1] / "programmes" / "demo.yaml"


@pytest.fixture
def run(demo_site: Path, tmp_path: Path):
    """`volunteer …` in a fresh process in tmp_path, with no database set unless a test sets one."""
    env = {k: v for k, v in os.environ.items() if k != "VOLUNTEER_DATABASE_URL"}
    env["PYTHONPATH"] = os.pathsep.join([str(demo_site), str(EXAMPLES.parent)])  # this checkout's engine, not an installed one

    def go(*args: str, cwd: Path | None = None, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "engine.cli.main", *args], env={**env, **extra},
                              capture_output=True, text=True, cwd=cwd or tmp_path, timeout=180)

    return go


def test_check_a_folder_reports_what_load_would_refuse_at_its_line(run, tmp_path: Path) -> None:
    folder = tmp_path / "programmes"
    folder.mkdir()
    text = (EXAMPLES / "community.yaml").read_text(encoding="utf-8")
    text = text.replace("\nrewards:\n", "\nrewards:\n  levels: [{name: 一星, min_hours: 10}]\n", 1)
    (folder / "a_community.yaml").write_text(text, encoding="utf-8")
    (folder / "b_copy.yml").write_text((EXAMPLES / "community.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "b_copy2.yml").write_text((EXAMPLES / "community.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "c_legal_aid.yaml").write_text((EXAMPLES / "legal_aid.yaml").read_text(encoding="utf-8"),
                                             encoding="utf-8")
    levels_line = text.splitlines().index("  levels: [{name: 一星, min_hours: 10}]") + 1
    r = run("check", str(folder))
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    # levels written twice (the community's stars are rules.levels from its pack), at the key's line
    assert any(line.startswith(f"{folder / 'a_community.yaml'}:{levels_line}:3: rewards.levels 与 rules.levels 只能写一处")
               for line in lines), r.stdout
    # the same programme id twice (a_community is refused before it is stored): named at the second copy's id line
    assert any(line.startswith(f"{folder / 'b_copy2.yml'}:") and "programme id 'haibin-2026' is already used" in line
               for line in lines), r.stdout
    assert f"{folder / 'c_legal_aid.yaml'}: ok" in r.stdout
    # and `load` refuses the first file: check said so first
    assert run("load", str(folder / "a_community.yaml"), "--database", f"sqlite:///{tmp_path / 'x.db'}").returncode == 1


def test_serve_names_skipped_files(tmp_path: Path) -> None:
    """The server loads a folder and says which files it skipped and why; a duplicate id never
    replaces the programme already loaded."""
    from engine.http.app import load_folder
    from engine.testing import temp_engine

    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "a.yaml").write_text((EXAMPLES / "community.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "b.yaml").write_text((EXAMPLES / "community.yaml").read_text(encoding="utf-8")
                                   .replace("name: ", "name: 另一个 ", 1), encoding="utf-8")
    (folder / "c.yaml").write_text("id: broken\nname：坏文件\n", encoding="utf-8")
    with temp_engine(tmp_path) as eng:
        skipped = load_folder(eng, folder)
        assert sorted(skipped) == ["b.yaml", "c.yaml"]
        assert "already loaded from a.yaml" in skipped["b.yaml"] and "全角冒号" in skipped["c.yaml"]
        assert not eng.programme("haibin-2026").config.name.startswith("另一个")


@pytest.mark.parametrize("plan_type", ["community", "legal_aid", "demo"])
def test_init_for_every_plan_type_checks_and_its_examples_uncomment(run, tmp_path: Path, plan_type: str) -> None:
    r = run("init", plan_type, "-o", "starter.yaml")
    assert r.returncode == 0, r.stderr
    starter = tmp_path / "starter.yaml"
    assert run("check", "starter.yaml").returncode == 0, run("check", "starter.yaml").stdout
    text = starter.read_text(encoding="utf-8")
    examples = [line for line in text.splitlines() if re.match(r"^\s*# ", line)]
    assert len(examples) >= 3
    # every example line, uncommented as it stands (its "## …" note stays a comment)
    opened = "\n".join(re.sub(r"^(\s*)# ", r"\1", line) for line in text.splitlines())
    (tmp_path / "opened.yaml").write_text(opened, encoding="utf-8")
    r = run("check", "opened.yaml")
    assert r.returncode == 0, r.stdout
    assert "init" not in r.stderr


def test_every_command_finds_the_project_database(run, tmp_path: Path) -> None:
    (tmp_path / "volunteer.toml").write_text('database_url = "sqlite:///data/project.db"\n', encoding="utf-8")
    (tmp_path / "data").mkdir()
    sub = tmp_path / "deep" / "er"
    sub.mkdir(parents=True)
    r = run("load", str(PROGRAMME), cwd=sub)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "data" / "project.db").exists() and not (sub / "volunteer.db").exists()
    r = run("status", "demo-programme", cwd=tmp_path)  # another folder, the same database
    assert r.returncode == 0 and "needs" in r.stdout
    # --database wins over the project file
    other = tmp_path / "other.db"
    assert run("status", "demo-programme", "--database", f"sqlite:///{other}").returncode == 1


def test_no_database_set_is_said_aloud(run, tmp_path: Path) -> None:
    r = run("load", str(PROGRAMME))
    assert r.returncode == 0
    assert "no database set" in r.stderr and str(tmp_path / "volunteer.db") in r.stderr


def test_history_in_the_programme_time_and_import_help_lists_columns(run, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'h.db'}"
    assert run("load", str(PROGRAMME), "--database", db).returncode == 0
    r = run("history", "demo-programme", "--database", db)
    assert r.returncode == 0 and "Asia/Shanghai" in r.stdout
    row = next(line for line in r.stdout.splitlines() if line.strip()[:1].isdigit())
    assert row.split()[2].endswith("+0800")
    r = run("import-volunteers", "--help")
    assert r.returncode == 0
    for header in ("姓名", "身份证号码", "手机号码", "ID number", "必填 required"):
        assert header in r.stdout


def test_draw_fits_a_phone_and_a_page() -> None:
    """Top to bottom, at most A4's printable width, labels wrapped between Chinese and English."""
    import vol_plan_demo

    from engine.config.loader import load_programme
    from engine.plugins import PluginHost
    from engine.workflow.draw import dot

    prog = load_programme(PROGRAMME, PluginHost(load_entrypoints=False, extra_plugins=[("demo", vol_plan_demo)]))
    source = dot(prog.workflow("lifecycle").definition).source
    assert "rankdir=TB" in source and 'size="7.5,10.5"' in source
    assert "采集需求\nNeeds" in source or "采集需求\\nNeeds" in source
