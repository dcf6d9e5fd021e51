"""Loading plugins and calling their hooks: the typed facade over pluggy.

The engine never calls ``pm.hook.*`` directly; it calls :class:`PluginHost` methods with
keywords. The host

* discovers plan types from the entry-point group ``volunteer_engine.plan_types`` — the built-in
  plan types are declared there too, so there is one discovery path;
* isolates failures: a plugin that fails to import, fails validation against the hook specs
  (a misspelled hook), or raises while registering is recorded in :attr:`PluginHost.failures`
  with its name, and the others keep working;
* scopes plan-type hooks to the plugin that owns the programme's plan type.

Switches: ``VOLUNTEER_DISABLE_PLUGINS=a,b`` skips entry points by name;
``VOLUNTEER_TRACE_PLUGINS=1`` logs every hook call.
"""

from __future__ import annotations

import importlib
import importlib.metadata as importlib_metadata
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy
from pydantic import BaseModel

from engine import hookspecs
from engine.errors import PluginError

log = logging.getLogger("engine.plugins")

GuardFn = Callable[[Any], Iterable[str] | None]
ActionFn = Callable[[Any], None]


class EmptyRules(BaseModel):
    """Rules model for a plan type that has no rules of its own."""

    model_config = {"extra": "forbid"}


@dataclass(frozen=True)
class PlanType:
    """A plan type as a plugin declares it.

    ``default_yaml`` is the path of the plan type's default programme layer (workflows, roles,
    settings); ``rules_model`` validates the programme's ``rules:`` section and supplies defaults.
    """

    id: str
    title: str
    rules_model: type[BaseModel] = EmptyRules
    default_yaml: Path | None = None
    description: str = ""
    starter_yaml: Path | None = None
    #: keys of programme files that moved (:class:`engine.rules.moved.MovedKey`): a file still using
    #: one is refused at its line, naming the new key (``docs/plugin-authors.md``)
    moved_keys: tuple[Any, ...] = ()


@dataclass
class PlanTypeInfo:
    plan_type: PlanType
    plugin_name: str
    distribution: str | None
    version: str | None


@dataclass(frozen=True)
class NamedCallable:
    name: str
    function: Callable[..., Any]
    plugin_name: str
    description: str = ""


class _NamedRegistry:
    kind = "callable"

    def __init__(self) -> None:
        self.items: dict[str, NamedCallable] = {}
        self._current_plugin = "?"

    def add(self, name: str, function: Callable[..., Any], *, description: str = "") -> None:
        existing = self.items.get(name)
        if existing is not None:
            raise PluginError(
                f'{self.kind} "{name}" is provided twice: by plugin "{existing.plugin_name}" '
                f'and by plugin "{self._current_plugin}"'
            )
        doc = description or (function.__doc__ or "").strip().split("\n")[0]
        self.items[name] = NamedCallable(name, function, self._current_plugin, doc)

    def __contains__(self, name: object) -> bool:
        return name in self.items

    def __getitem__(self, name: str) -> NamedCallable:
        return self.items[name]

    def names(self) -> list[str]:
        return sorted(self.items)


class GuardRegistry(_NamedRegistry):
    kind = "guard"


class ActionRegistry(_NamedRegistry):
    kind = "action"


class PlanTypeRegistry:
    def __init__(self) -> None:
        self.items: dict[str, PlanTypeInfo] = {}
        self._current_plugin = "?"
        self._dist: tuple[str | None, str | None] = (None, None)

    def add(self, plan_type: PlanType) -> None:
        existing = self.items.get(plan_type.id)
        if existing is not None:
            raise PluginError(
                f'plan type "{plan_type.id}" is declared twice: by plugin "{existing.plugin_name}" '
                f'and by plugin "{self._current_plugin}"'
            )
        self.items[plan_type.id] = PlanTypeInfo(plan_type, self._current_plugin, *self._dist)


@dataclass
class PluginFailure:
    name: str
    message: str

    def __str__(self) -> str:
        return f'Error loading plugin "{self.name}": {self.message}'


@dataclass
class PluginInfo:
    name: str
    module: str
    distribution: str | None
    version: str | None
    hooks: list[str] = field(default_factory=list)
    plan_types: list[str] = field(default_factory=list)


#: The engine's own behaviour, registered through the same hooks a plan type uses. Loaded by name,
#: as pytest loads its built-in plugins, so this module (below the stages) does not import them.
ENGINE_BUILTINS = (
    "engine.workflow.builtin_guards",
    "engine.stages.guards",
    "engine.stages.routes",
    "engine.stages.service.jobs",
    "engine.stages.rewards.jobs",
    "engine.notify.builtin",
    "engine.certificates.builtin",
)


def _engine_builtins() -> list[tuple[str, ModuleType]]:
    """The modules of :data:`ENGINE_BUILTINS`, imported, each registered under its module name."""
    return [(name, importlib.import_module(name)) for name in ENGINE_BUILTINS]


class PluginHost:
    """The engine's only door to plugins."""

    def __init__(
        self,
        *,
        load_entrypoints: bool = True,
        extra_plugins: Iterable[tuple[str, object]] = (),
        disabled: Iterable[str] | None = None,
        only: Iterable[str] | None = None,
    ) -> None:
        """``only``: load just these entry points (tests use it so that whatever else happens to
        be installed does not join in); ``disabled``: skip these (default: $VOLUNTEER_DISABLE_PLUGINS)."""
        self.pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
        self.pm.add_hookspecs(hookspecs)
        self.failures: list[PluginFailure] = []
        self._dists: dict[str, tuple[str | None, str | None]] = {}
        if os.environ.get("VOLUNTEER_TRACE_PLUGINS"):
            self.pm.trace.root.setwriter(lambda msg: log.warning("hook: %s", msg.rstrip()))
            self.pm.enable_tracing()
        if disabled is None:
            disabled = [
                n.strip() for n in os.environ.get("VOLUNTEER_DISABLE_PLUGINS", "").split(",") if n.strip()
            ]
        self._disabled = set(disabled)
        self._only = set(only) if only is not None else None

        for name, module in _engine_builtins():
            self._register(name, module, dist=("volunteer-engine", _own_version()))
        if load_entrypoints:
            self._load_entrypoints()
        for name, plugin in extra_plugins:
            self._register(name, plugin, dist=(None, None))

        self.plan_types = PlanTypeRegistry()
        self.guards = GuardRegistry()
        self.actions = ActionRegistry()
        self._run_registration("volunteer_register_plan_types", self.plan_types)
        self._run_registration("volunteer_register_guards", self.guards)
        self._run_registration("volunteer_register_actions", self.actions)
        self._plugin_of_plan_type = {pid: info.plugin_name for pid, info in self.plan_types.items.items()}
        # The acting facade's classes, attached by the engine (engine.sdk.attach): the host sits
        # below the stages, the facade above them, so the host is told rather than importing it.
        self.context_class: Callable[..., Any] | None = None
        self.guard_context_class: Callable[..., Any] | None = None

    # ------------------------------------------------------------------ contexts
    def context(self, session: Any, programme: Any, *, actor: str = "system", roles: Iterable[str] = (),
                now: Any = None) -> Any:
        """A :class:`engine.sdk.PlanContext` for one unit of work (what hooks receive as ``ctx``)."""
        if self.context_class is None:
            raise PluginError("插件宿主未接入引擎 / this plugin host is not attached to an engine: "
                              "build a VolunteerEngine with it, or call engine.sdk.attach(host)")
        return self.context_class(session, programme, self, actor=actor, roles=roles, now=now)

    def guard_context(self, session: Any, programme: Any, **kwargs: Any) -> Any:
        """The context a guard or action receives (:class:`engine.sdk.GuardContext` once attached)."""
        if self.guard_context_class is not None:
            return self.guard_context_class(session, programme, self, **kwargs)
        from engine.workflow.context import GuardContext

        return GuardContext(session, programme, self, **kwargs)

    # ------------------------------------------------------------------ loading
    def _load_entrypoints(self) -> None:
        for ep in importlib_metadata.entry_points(group=hookspecs.ENTRY_POINT_GROUP):
            if ep.name in self._disabled or self.pm.has_plugin(ep.name):
                continue
            if self._only is not None and ep.name not in self._only:
                continue
            try:
                module = ep.load()
            except Exception as exc:
                self.failures.append(PluginFailure(ep.name, f"import of {ep.value} failed: {exc!r}"))
                continue
            dist = (ep.dist.name, ep.dist.version) if ep.dist is not None else (None, None)
            self._register(ep.name, module, dist=dist)

    def _register(self, name: str, plugin: object, *, dist: tuple[str | None, str | None]) -> None:
        if name in self._disabled:
            return
        try:
            self.pm.register(plugin, name=name)
        except Exception as exc:
            self.failures.append(PluginFailure(name, str(exc)))
            return
        try:
            self.pm.check_pending()
        except pluggy.PluginValidationError as exc:
            self.pm.unregister(name=name)
            self.failures.append(PluginFailure(name, f"implements a hook the engine does not know: {exc}"))
            return
        self._dists[name] = dist

    def register_with(self, hook_name: str, registry: Any) -> None:
        """Run a registration hook (``volunteer_notification_senders`` …) into ``registry``; a
        plugin that fails is recorded in :attr:`failures` and the others register."""
        self._run_registration(hook_name, registry)

    def _run_registration(self, hook_name: str, registry: Any) -> None:
        caller = getattr(self.pm.hook, hook_name)
        # registration order: the plugin registered first keeps a contested name
        for impl in caller.get_hookimpls():
            registry._current_plugin = impl.plugin_name
            registry._dist = self._dists.get(impl.plugin_name, (None, None))
            try:
                impl.function(register=registry)
            except PluginError as exc:
                self.failures.append(PluginFailure(impl.plugin_name, exc.message))
            except Exception as exc:
                self.failures.append(PluginFailure(impl.plugin_name, f"{hook_name} raised {exc!r}"))

    # ------------------------------------------------------------------ introspection
    def plugins(self) -> list[PluginInfo]:
        out: list[PluginInfo] = []
        owned: dict[str, list[str]] = {}
        for pid, info in self.plan_types.items.items():
            owned.setdefault(info.plugin_name, []).append(pid)
        for name, plugin in self.pm.list_name_plugin():
            hooks = sorted(h.name for h in self.pm.get_hookcallers(plugin) or [])
            dist, version = self._dists.get(name, (None, None))
            module = getattr(plugin, "__name__", type(plugin).__name__)
            out.append(PluginInfo(name, module, dist, version, hooks, sorted(owned.get(name, []))))
        return out

    def plan_type(self, plan_type_id: str) -> PlanTypeInfo | None:
        return self.plan_types.items.get(plan_type_id)

    def plan_type_ids(self) -> list[str]:
        return sorted(self.plan_types.items)

    # ------------------------------------------------------------------ calling hooks
    def _impls(self, hook_name: str, plan_type: str | None) -> list[Any]:
        """Implementations in pluggy call order (LIFO, tryfirst/trylast respected), scoped."""
        caller = getattr(self.pm.hook, hook_name)
        impls = list(reversed(caller.get_hookimpls()))
        if plan_type is None:
            return impls
        owner = self._plugin_of_plan_type.get(plan_type)
        plan_owners = set(self._plugin_of_plan_type.values())
        return [i for i in impls if i.plugin_name == owner or i.plugin_name not in plan_owners]

    def implementers(self, hook_name: str, *, plan_type: str | None = None) -> list[str]:
        """Names of the plugins implementing a hook (scoped to ``plan_type``), in call order."""
        return [i.plugin_name for i in self._impls(hook_name, plan_type)]

    def call(
        self, hook_name: str, *, plan_type: str | None = None, firstresult: bool = False, plugin: str | None = None,
        **kwargs: Any,
    ) -> Any:
        """Call a hook through the plugin manager, one implementation at a time (``plugin``: only
        that plugin's implementation, e.g. one scheduled job).

        An implementation that raises becomes a :class:`PluginError` naming the plugin and hook;
        callers decide whether that refuses (guards) or is shown (reports).
        """
        results: list[Any] = []
        for impl in self._impls(hook_name, plan_type):
            if plugin is not None and impl.plugin_name != plugin:
                continue
            if "ctx" in impl.argnames and "ctx" not in kwargs:
                kwargs["ctx"] = self.context(kwargs.get("session"), kwargs.get("programme"))
            args = {k: kwargs[k] for k in impl.argnames if k in kwargs}
            try:
                value = impl.function(**args)
            except PluginError:
                raise
            except Exception as exc:
                raise PluginError(
                    f'plugin "{impl.plugin_name}" raised in {hook_name}: {exc!r}',
                    plugin=impl.plugin_name,
                    hook=hook_name,
                ) from exc
            if value is None:
                continue
            if firstresult:
                return value
            results.append(value)
        return None if firstresult else results

    def call_isolated(self, hook_name: str, **kwargs: Any) -> tuple[list[Any], list[PluginFailure]]:
        """Call every implementation; one that raises is reported and skipped, the others answer.

        For start-up hooks (routers, CLI commands) where one broken plugin must not take the
        service down."""
        results: list[Any] = []
        failures: list[PluginFailure] = []
        for impl in self._impls(hook_name, None):
            args = {k: kwargs[k] for k in impl.argnames if k in kwargs}
            try:
                value = impl.function(**args)
            except Exception as exc:
                failures.append(PluginFailure(impl.plugin_name, f"{hook_name} raised {exc!r}"))
                continue
            if value is None:
                continue
            results.extend(value if isinstance(value, (list, tuple)) else [value])
        self.failures.extend(failures)
        return results, failures

    def call_flat(self, hook_name: str, *, plan_type: str | None = None, **kwargs: Any) -> list[Any]:
        """Call a hook whose implementations return lists, and concatenate them."""
        out: list[Any] = []
        for value in self.call(hook_name, plan_type=plan_type, **kwargs):
            if isinstance(value, (list, tuple)):
                out.extend(value)
            else:
                out.append(value)
        return out

    def migration_dirs(self) -> list[str]:
        dirs: list[str] = []
        for value in self.call("volunteer_migration_dirs"):
            dirs.extend([value] if isinstance(value, str) else list(value))
        return dirs


def _own_version() -> str | None:
    try:
        return importlib_metadata.version("volunteer-engine")
    except importlib_metadata.PackageNotFoundError:  # running from a source tree
        return None


_default_host: PluginHost | None = None


def default_host() -> PluginHost:
    """The process-wide host with every installed plugin (built once, lazily)."""
    global _default_host
    if _default_host is None:
        _default_host = PluginHost()
    return _default_host
