"""What :func:`.eligibility.pre_check` returns, and the findings its rules accumulate."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from .application import DOCUMENT_NAMES, Document
from .articles import Bilingual

__all__ = ["Decision", "Findings", "Outcome", "PreCheckResult", "RuleId", "RuleResult"]


class Outcome(StrEnum):
    """How one rule came out for this application."""

    PASSED = "passed"
    FAILED = "failed"
    NOT_APPLICABLE = "not_applicable"


class Decision(StrEnum):
    """The pre-check's overall answer; the agency still decides (第四十三条)."""

    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    NEEDS_DOCUMENTS = "needs_documents"
    APPOINTED_COUNSEL = "appointed_counsel"
    PROVISIONAL_AID_RECOMMENDED = "provisional_aid_recommended"


class RuleId(StrEnum):
    """The rules :func:`.eligibility.pre_check` evaluates, in evaluation order."""

    APPOINTED_COUNSEL = "appointed_counsel"
    EXPERIENCED_COUNSEL = "experienced_counsel"
    SCOPE = "scope"
    NOT_REPRESENTED = "not_represented"
    ART32_NO_HARDSHIP_CONDITION = "art32_no_hardship_condition"
    ART42_VERIFICATION_EXEMPT = "art42_verification_exempt"
    ECONOMIC_HARDSHIP = "economic_hardship"
    DOCUMENTS_COMPLETE = "documents_complete"
    PROVISIONAL_AID = "provisional_aid"


class RuleResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    rule: RuleId
    outcome: Outcome
    article: str
    """Citation, e.g. ``《法律援助法》第三十一条第七项``; several are joined with ``、``."""
    explanation: Bilingual
    missing: tuple[Document, ...] = ()


class PreCheckResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    decision: Decision
    rules: tuple[RuleResult, ...]
    missing_documents: tuple[Document, ...]
    required_min_experience_years: int | None = None
    """Set when 第二十六条 requires counsel with this many years of relevant practice."""
    summary: Bilingual

    def rule(self, rule_id: RuleId) -> RuleResult:
        """The result of one rule."""
        return next(r for r in self.rules if r.rule is rule_id)

    @property
    def missing_document_names(self) -> tuple[Bilingual, ...]:
        """The missing documents by name, for the single request of 第四十三条第二款."""
        return tuple(DOCUMENT_NAMES[d] for d in self.missing_documents)


@dataclass
class Findings:
    """What earlier rules found, for the later ones and the decision."""

    results: list[RuleResult] = field(default_factory=list)
    appointed: bool = False
    experience_years: int | None = None
    blocked: bool = False  # scope, representation or means test failed for good
    means_applies: bool = True
    art42_proof_pending: bool = False
    provisional: bool = False
    missing: list[Document] = field(default_factory=list)

    def add(
        self,
        rule: RuleId,
        outcome: Outcome,
        article: str,
        zh: str,
        en: str,
        missing: tuple[Document, ...] = (),
    ) -> None:
        self.results.append(
            RuleResult(
                rule=rule,
                outcome=outcome,
                article=article,
                explanation=Bilingual(zh=zh, en=en),
                missing=missing,
            )
        )
        for doc in missing:
            if doc not in self.missing:
                self.missing.append(doc)
