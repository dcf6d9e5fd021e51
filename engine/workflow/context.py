"""What a guard or an action is given."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from engine.plugins import PluginHost
    from engine.programme import LoadedProgramme
    from engine.store.models import WorkflowInstance


@dataclass
class GuardContext:
    """Everything a guard or action may look at.

    ``params`` are the guard's parameters from YAML; ``payload`` is what the person firing the
    trigger sent (e.g. a reason, a decision); ``actor`` and ``roles`` say who fires it.
    Guards must only read through ``session``; actions may write (same transaction).
    """

    session: Session
    programme: LoadedProgramme
    instance: WorkflowInstance
    trigger: str
    source: str
    dest: str
    actor: str
    roles: frozenset[str]
    payload: dict[str, Any] = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)
    host: PluginHost | None = None

    @property
    def subject_type(self) -> str:
        return self.instance.subject_type

    @property
    def subject_id(self) -> str:
        return self.instance.subject_id
