"""What a guard or an action is given, as the workflow layer knows it.

Plan types receive :class:`engine.sdk.GuardContext`, which extends this class with the acting
facade (:class:`engine.sdk.PlanContext`); the engine's own guards only need what is here.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from engine import timeutil
from engine.views import InstanceView, view_of

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from engine.plugins import PluginHost
    from engine.programme import LoadedProgramme
    from engine.store.models import WorkflowInstance


class GuardContext:
    """Everything a guard or action may look at.

    ``params`` are the guard's parameters from YAML; ``payload`` is what the person firing the
    trigger sent (e.g. a reason, a decision); ``actor`` and ``roles`` say who fires it; ``now`` is
    the clock (settable in tests). Guards must only read through ``session``; actions may write
    (same transaction).
    """

    def __init__(self, session: Session, programme: LoadedProgramme, host: PluginHost, *,
                 instance: WorkflowInstance, trigger: str, source: str, dest: str, actor: str,
                 roles: frozenset[str], payload: dict[str, Any], now: dt.datetime | None = None) -> None:
        self.session = session
        self.programme = programme
        self.host = host
        self._row = instance
        self.trigger = trigger
        self.source = source
        self.dest = dest
        self.actor = actor
        self.roles = roles
        self.payload = payload
        self.params: dict[str, Any] = {}
        self._now = now

    @property
    def now(self) -> dt.datetime:
        return self._now if self._now is not None else timeutil.now()

    @property
    def instance(self) -> InstanceView:
        """The instance being moved (its state is the new one inside an action)."""
        return view_of(InstanceView, self._row)

    @property
    def subject_type(self) -> str:
        return self._row.subject_type

    @property
    def subject_id(self) -> str:
        return self._row.subject_id
