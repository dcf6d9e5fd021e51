"""A loaded programme: its validated configuration, plan-type rules and compiled workflows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pydantic import BaseModel

from engine.config.models import ProgrammeConfig
from engine.errors import NotFound
from engine.plugins import PlanTypeInfo

if TYPE_CHECKING:
    from engine.rules.models import RulesPolicy
    from engine.rules.registry import Pack
    from engine.workflow.compiler import CompiledWorkflow


@dataclass
class LoadedProgramme:
    config: ProgrammeConfig
    rules: BaseModel
    plan_type: PlanTypeInfo
    workflows: dict[str, CompiledWorkflow]
    source_text: str
    source_name: str
    config_hash: str
    extra: dict[str, object] = field(default_factory=dict)
    policy: RulesPolicy | None = None  # the engine's rule policies (engine.rules), pack and overrides applied
    pack: Pack | None = None
    shadowed: list[str] = field(default_factory=list)  # policy keys the plan type keeps for itself

    @property
    def rules_policy(self) -> RulesPolicy:
        """The effective engine policy (defaults when the programme wrote none)."""
        if self.policy is None:
            from engine.rules.models import RulesPolicy

            self.policy = RulesPolicy()
        return self.policy

    @property
    def id(self) -> str:
        return self.config.id

    @property
    def plan_type_id(self) -> str:
        return self.plan_type.plan_type.id

    def workflow(self, name: str) -> CompiledWorkflow:
        try:
            return self.workflows[name]
        except KeyError:
            raise NotFound(
                f"programme {self.id!r} has no workflow {name!r}; it has: {', '.join(sorted(self.workflows))}",
                workflow=name,
            ) from None

    def workflows_for(self, subject: str) -> list[CompiledWorkflow]:
        return [w for w in self.workflows.values() if w.definition.subject == subject]

    def role_titles(self) -> dict[str, str]:
        return {name: role.title for name, role in self.config.roles.items()}
