"""The plan-type SDK: everything a plan type may use, in one public package.

A plan type (built-in or anyone else's) imports from ``engine`` (``hookimpl``, ``PlanType``, the
errors, ``Award``, ``Level``, ``ReportSection``), from ``engine.sdk`` (this package: the acting
facade, the read models, tables to define and query, HTTP dependencies in ``engine.sdk.http``) and
from ``engine.testing`` in its tests — and from nothing else of the engine. The submodules:
``engine.sdk.tables`` (define your tables; read and join the engine's), ``engine.sdk.http`` (route
dependencies), ``engine.sdk.people`` (ID numbers and phones), ``engine.inputs`` (bounded request
types) and ``engine.errors`` (the errors the API turns into 4xx answers). The import contract in
``pyproject.toml`` (``lint-imports``) enforces it; the plugin authors' guide documents every name.
"""

from __future__ import annotations

from engine.notify.senders import Outgoing, Part, PermanentFailure, Recipient, Sender, SenderRegistry
from engine.plugins import PluginHost
from engine.programme import LoadedProgramme as Programme

# --- added for youth (issue 13): minors' safeguards and credit conversion ---
from engine.rules.age_awards import AgeAwardsPolicy, award_for, group_award, service_year
from engine.rules.credits import CreditInput, CreditReport, CreditScheme, school_year, term_of
from engine.rules.credits import convert as convert_credits
from engine.rules.honours import Candidate as HonourCandidate
from engine.rules.honours import HonoursPolicy
from engine.rules.honours import decide as decide_honours
from engine.rules.minors import MinorsPolicy
from engine.sdk.context import GuardContext, PlanContext
from engine.sdk.minors import ConsentView, GuardianView, age_awards_policy
from engine.stages.rewards.ledger import fmt as fmt_amount
from engine.views import (
    AssignmentView,
    CatalogueItemView,
    CompletionView,
    EnrolmentView,
    Fired,
    IncidentView,
    InstanceView,
    LedgerEntryView,
    NeedView,
    PostView,
    ProjectView,
    RecordView,
    ShiftView,
    TotalsView,
    TransitionView,
    TriggerView,
    UserView,
    VolunteerView,
    age_on,
)
from engine.workflow.service import FireResult

__all__ = [
    "AgeAwardsPolicy",
    "AssignmentView",
    "CatalogueItemView",
    "CompletionView",
    "ConsentView",
    "CreditInput",
    "CreditReport",
    "CreditScheme",
    "EnrolmentView",
    "FireResult",
    "Fired",
    "GuardContext",
    "GuardianView",
    "HonourCandidate",
    "HonoursPolicy",
    "IncidentView",
    "InstanceView",
    "LedgerEntryView",
    "MinorsPolicy",
    "NeedView",
    "Outgoing",
    "Part",
    "PermanentFailure",
    "PlanContext",
    "PluginHost",
    "PostView",
    "Programme",
    "ProjectView",
    "Recipient",
    "RecordView",
    "Sender",
    "SenderRegistry",
    "ShiftView",
    "TotalsView",
    "TransitionView",
    "TriggerView",
    "UserView",
    "VolunteerView",
    "age_awards_policy",
    "age_on",
    "attach",
    "award_for",
    "convert_credits",
    "decide_honours",
    "fmt_amount",
    "group_award",
    "school_year",
    "service_year",
    "term_of",
]


def attach(host: object) -> None:
    """Give a plugin host the facade classes (the engine does this; benchmarks that build a bare
    host call it themselves)."""
    host.context_class = PlanContext  # type: ignore[attr-defined]
    host.guard_context_class = GuardContext  # type: ignore[attr-defined]
