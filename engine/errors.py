"""Exceptions the engine raises, as one hierarchy.

::

    VolunteerEngineError
    ├── ConfigError            a programme file is wrong; carries every Problem found
    ├── PluginError            a plugin failed to import, register, or raised in a hook
    ├── NotFound               an unknown programme, instance, trigger … (HTTP 404)
    ├── Forbidden              the actor's roles may not do this (HTTP 403)
    ├── Conflict               the state moved on under you (HTTP 409)
    │   ├── StaleVersion       optimistic lock: expected version is not the stored one
    │   └── WrongState         the trigger is not available from the current state
    ├── GuardsFailed           the transition is known but its guards refuse (HTTP 422)
    ├── InvalidInput           a value a person supplied is wrong (HTTP 422)
    └── StrandedInstances      a new definition would strand running instances (HTTP 409)

Every message is written for the person who has to act on it: it names what and where.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class VolunteerEngineError(Exception):
    """Base class of every error the engine raises on purpose."""

    http_status = 400

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        return {"error": type(self).__name__, "message": self.message, **self.details}


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a configuration file, positioned for an editor."""

    file: str
    line: int
    column: int
    message: str
    path: str = ""
    expected: str = field(default="", compare=False)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        text = f"{where}: {self.message}"
        if self.path:
            text += f" (at {self.path})"
        if self.expected:
            text += f"; expected {self.expected}"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "message": self.message,
            "expected": self.expected,
        }


class ConfigError(VolunteerEngineError):
    """A programme configuration has problems; ``problems`` lists all of them, not just the first."""

    http_status = 422

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        lines = "\n".join(str(p) for p in self.problems)
        super().__init__(f"配置有 {len(self.problems)} 处错误 / {len(self.problems)} configuration problem(s):\n{lines}")

    def to_dict(self) -> dict[str, Any]:
        return {"error": "ConfigError", "message": self.message, "problems": [p.to_dict() for p in self.problems]}


class PluginError(VolunteerEngineError):
    """A named plugin failed; the message always starts with the plugin's name."""

    http_status = 500


class NotFound(VolunteerEngineError):
    http_status = 404


class Forbidden(VolunteerEngineError):
    http_status = 403


class Unauthorized(VolunteerEngineError):
    http_status = 401


class Conflict(VolunteerEngineError):
    http_status = 409


class StaleVersion(Conflict):
    pass


class WrongState(Conflict):
    pass


class GuardsFailed(VolunteerEngineError):
    """A transition's guards refused. ``reasons`` are sentences a coordinator can act on."""

    http_status = 422

    def __init__(self, trigger: str, reasons: list[str]) -> None:
        joined = "; ".join(reasons)
        super().__init__(f"「{trigger}」暂不能执行 / '{trigger}' is blocked: {joined}", trigger=trigger, reasons=reasons)
        self.reasons = reasons


class InvalidInput(VolunteerEngineError):
    http_status = 422

    def __init__(self, message: str, *, field: str | None = None, **details: Any) -> None:
        super().__init__(message, field=field, **details)
        self.field = field


class StrandedInstances(VolunteerEngineError):
    """Loading a changed definition would leave running instances in states that no longer exist."""

    http_status = 409
