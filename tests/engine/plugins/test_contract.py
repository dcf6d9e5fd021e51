"""The plugin contract: every hook is called through the plugin manager, scoped, and isolated."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
import vol_plan_demo

from engine import hookimpl, hookspecs
from engine.core import VolunteerEngine
from engine.errors import PluginError
from engine.plugins import PlanType, PluginHost
from engine.testing import temp_engine, tick

HOOKS = sorted(n for n, f in inspect.getmembers(hookspecs, inspect.isfunction) if n.startswith("volunteer_"))
DOCS = Path(__file__).parents[3] / "docs" / "plugin-authors.md"


class Recorder:
    """A plugin that implements every hook and records each call."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    @hookimpl
    def volunteer_register_plan_types(self, register):
        self.calls.append("volunteer_register_plan_types")
        register.add(PlanType(id="recorder", title="记录 Recorder"))

    @hookimpl
    def volunteer_register_guards(self, register):
        self.calls.append("volunteer_register_guards")

    @hookimpl
    def volunteer_register_actions(self, register):
        self.calls.append("volunteer_register_actions")

    @hookimpl
    def volunteer_migration_dirs(self):
        self.calls.append("volunteer_migration_dirs")

    @hookimpl
    def volunteer_programme_loaded(self, programme, session):
        self.calls.append("volunteer_programme_loaded")

    @hookimpl
    def volunteer_check_programme(self, programme):
        self.calls.append("volunteer_check_programme")
        return []

    @hookimpl
    def volunteer_score_need(self, need, weights):
        self.calls.append("volunteer_score_need")
        return 42.0

    @hookimpl
    def volunteer_check_eligibility(self, volunteer, post):
        self.calls.append("volunteer_check_eligibility")
        return ["录制插件拒绝 / recorder objects"]

    @hookimpl
    def volunteer_compute_awards(self, record):
        self.calls.append("volunteer_compute_awards")
        return []

    @hookimpl
    def volunteer_check_redemption(self, volunteer, item):
        self.calls.append("volunteer_check_redemption")

    @hookimpl
    def volunteer_level_for(self, hours):
        self.calls.append("volunteer_level_for")

    @hookimpl
    def volunteer_report_sections(self, programme):
        self.calls.append("volunteer_report_sections")
        return []

    @hookimpl
    def volunteer_instance_access(self, instance):
        self.calls.append("volunteer_instance_access")

    @hookimpl
    def volunteer_instance_filter(self, instances):
        self.calls.append("volunteer_instance_filter")
        return []

    @hookimpl
    def volunteer_instance_read(self, instances, what, allowed):
        self.calls.append("volunteer_instance_read")

    @hookimpl
    def volunteer_scheduled(self, programme, now, ctx):
        self.calls.append("volunteer_scheduled")

    @hookimpl
    def volunteer_notification_senders(self, register):
        self.calls.append("volunteer_notification_senders")

    @hookimpl
    def volunteer_notification_templates(self):
        self.calls.append("volunteer_notification_templates")

    @hookimpl
    def volunteer_api_routers(self):
        self.calls.append("volunteer_api_routers")

    @hookimpl
    def volunteer_cli_commands(self, app):
        self.calls.append("volunteer_cli_commands")

    @hookimpl
    def volunteer_web_pages(self):
        self.calls.append("volunteer_web_pages")

    @hookimpl
    def volunteer_rule_packs(self):
        self.calls.append("volunteer_rule_packs")


RECORDER_YAML = """
id: recorder-prog
name: 录制
plan_type: recorder
organisation: {name: 站}
period: {start: 2026-01-01, end: 2026-12-31}
"""


def test_every_hook_is_called_through_the_plugin_manager(tmp_path: Path) -> None:
    rec = Recorder()
    with temp_engine(tmp_path, plugins=[("recorder", rec)], builtin=()) as eng:
        prog = eng.load(RECORDER_YAML, filename="recorder.yaml")
        host = eng.host
        with eng.session() as s:
            kw = {"programme": prog, "session": s, "plan_type": prog.plan_type_id}
            assert host.call("volunteer_score_need", firstresult=True, need=None, weights={}, **kw) == 42.0
            assert host.call_flat("volunteer_check_eligibility", volunteer=None, post=None, on=None, **kw) == [
                "录制插件拒绝 / recorder objects"]
            host.call("volunteer_compute_awards", record=None, **kw)
            host.call("volunteer_check_redemption", volunteer=None, item=None, **kw)
            host.call("volunteer_level_for", firstresult=True, hours=1.0, volunteer=None, **kw)
            host.call("volunteer_report_sections", **kw)
            host.call("volunteer_instance_access", firstresult=True, instance=None, user=None, roles=frozenset(), **kw)
            host.call("volunteer_instance_filter", instances=[], user=None, roles=frozenset(), **kw)
            host.call("volunteer_instance_read", instances=[], user=None, roles=frozenset(), what="instance",
                      allowed=True, **kw)
        from engine.http.app import create_app

        create_app(eng)
        from engine.cli.main import app as cli_app

        host.call("volunteer_cli_commands", app=cli_app)
        host.call("volunteer_rule_packs")  # `volunteer rules list` asks every plugin for its packs
        tick(eng)  # the scheduled path: volunteer_scheduled, then the senders for delivery
        with eng.session() as s:
            user = eng.auth.create_user(s, "ann", "correct-horse-42")
            host.context(s, prog).notify("engine.test", {}, key="k", to_user_id=user.id)  # the templates
    assert sorted(set(rec.calls)) == HOOKS


def test_scoped_hooks_skip_other_plan_types(tmp_path: Path) -> None:
    rec = Recorder()
    with temp_engine(tmp_path, plugins=[("demo", vol_plan_demo), ("recorder", rec)], builtin=()) as eng:
        demo = eng.load(Path(__file__).parents[2] / "programmes" / "demo.yaml")
        assert eng.host.call("volunteer_score_need", plan_type=demo.plan_type_id, firstresult=True,
                             need=None, weights={}, programme=demo) is None
        assert "volunteer_programme_loaded" not in rec.calls


def test_a_raising_hook_is_named(tmp_path: Path) -> None:
    class Raises:
        @hookimpl
        def volunteer_report_sections(self, programme):
            raise ZeroDivisionError("oops")

    host = PluginHost(load_entrypoints=False, extra_plugins=[("raiser", Raises())])
    with pytest.raises(PluginError) as info:
        host.call("volunteer_report_sections", programme=None)
    assert info.value.message.startswith('plugin "raiser" raised in volunteer_report_sections')


def test_failures_at_load_are_named_and_do_not_take_others_down() -> None:
    class Misspelled:
        @hookimpl
        def volunteer_register_plan_type(self, register):  # singular: not a hook
            pass

    class RaisesOnRegister:
        @hookimpl
        def volunteer_register_plan_types(self, register):
            raise RuntimeError("bad install")

    class Duplicate:
        @hookimpl
        def volunteer_register_plan_types(self, register):
            register.add(PlanType(id="demo", title="又一个 demo"))

    host = PluginHost(load_entrypoints=False, extra_plugins=[
        ("demo", vol_plan_demo), ("misspelled", Misspelled()), ("raiser", RaisesOnRegister()), ("dup", Duplicate())])
    messages = [str(f) for f in host.failures]
    assert any('"misspelled"' in m and "volunteer_register_plan_type" in m for m in messages)
    assert any('"raiser"' in m and "bad install" in m for m in messages)
    assert any('"dup"' in m and 'plan type "demo" is declared twice: by plugin "demo" and by plugin "dup"' in m
               for m in messages)
    assert host.plan_type_ids() == ["demo"]


def test_disabled_plugins_are_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VOLUNTEER_DISABLE_PLUGINS", "legal_aid")
    host = PluginHost(load_entrypoints=True, only=["legal_aid"])
    assert "legal_aid" not in [p.name for p in host.plugins()]


def test_every_hook_is_documented_with_its_signature() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for name in HOOKS:
        params = ", ".join(inspect.signature(getattr(hookspecs, name)).parameters)
        assert f"{name}({params})" in text, f"docs/plugin-authors.md lacks {name}({params})"


def test_engine_never_imports_plugins() -> None:
    root = Path(__file__).parents[3] / "engine"
    offenders = [str(p.relative_to(root)) for p in root.rglob("*.py")
                 if "import plugins" in p.read_text(encoding="utf-8") or "from plugins" in p.read_text(encoding="utf-8")]
    assert offenders == []


def test_engine_facade_is_used(eng: VolunteerEngine) -> None:
    # the built-in stages register through the same hooks as any plugin
    names = [p.name for p in eng.host.plugins()]
    assert "engine.stages.guards" in names and "stages.needs_recorded" in eng.host.guards
