"""Volunteer Engine: a plugin-based workflow engine for volunteer-service plans.

The public API for plan-type authors (everything else is internal and may change):

* :data:`hookimpl` — mark your hook implementations (the contract is :mod:`engine.hookspecs`);
* :class:`PlanType` — declare a plan type (id, title, rules model, default YAML, keys that moved:
  :class:`MovedKey`);
* :class:`GuardContext` — what guards and actions receive;
* :class:`Award` — what ``volunteer_compute_awards`` returns;
* :class:`Level` — what ``volunteer_level_for`` returns;
* :class:`ReportSection` — what ``volunteer_report_sections`` returns;
* :class:`VolunteerEngine` — the engine as one object (store, programmes, workflows, accounts);
* :mod:`engine.store` — ``Base`` to define a plan type's own tables on;
* :mod:`engine.testing` — run a programme in memory in your tests.
"""

from typing import TYPE_CHECKING

from engine.errors import (
    ConfigError,
    Conflict,
    Forbidden,
    GuardsFailed,
    InvalidInput,
    NotFound,
    PluginError,
    Problem,
    VolunteerEngineError,
)
from engine.hookspecs import hookimpl
from engine.plugins import PlanType
from engine.rules.moved import MovedKey
from engine.workflow.context import GuardContext

if TYPE_CHECKING:  # the lazy names below, visible to type checkers
    from engine.core import VolunteerEngine
    from engine.reports import ReportSection
    from engine.stages.rewards.awards import Award, Level

__all__ = [
    "Award",
    "ConfigError",
    "Conflict",
    "Forbidden",
    "GuardContext",
    "GuardsFailed",
    "InvalidInput",
    "Level",
    "MovedKey",
    "NotFound",
    "PlanType",
    "PluginError",
    "Problem",
    "ReportSection",
    "VolunteerEngine",
    "VolunteerEngineError",
    "hookimpl",
]


def __getattr__(name: str) -> object:
    # Heavier objects are imported on first use so that `import engine` stays cheap for plugins.
    if name == "VolunteerEngine":
        from engine.core import VolunteerEngine

        return VolunteerEngine
    if name == "Award":
        from engine.stages.rewards.awards import Award

        return Award
    if name == "Level":
        from engine.stages.rewards.awards import Level

        return Level
    if name == "ReportSection":
        from engine.reports import ReportSection

        return ReportSection
    raise AttributeError(name)
