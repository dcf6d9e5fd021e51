"""《法律援助法》 (in force 2022-01-01) and the relevant parts of 《律师法》 as data and pure functions.

No database, no web: the legal-aid plugin calls these to pre-check applications, compute deadlines and
show coordinators the article behind every answer.

* :mod:`.rules` — the configurable rules (``rules:`` in a programme's YAML), defaults from the law;
* :mod:`.application` — what an application says (matter, categories, means, documents);
* :mod:`.eligibility` — :func:`pre_check`; its result types in :mod:`.results`, its rules in :mod:`.checks`;
* :mod:`.deadlines` — :func:`case_deadlines`, :func:`due_or_overdue` and friends;
* :mod:`.ending` — :func:`ending_grounds` (第四十八条), :func:`appeal_info` (第四十九条);
* :mod:`.conduct` — :func:`student_may` (第十七条) and duties (confidentiality, no payment, conflicts);
* :mod:`.articles` — the statute text, verbatim, and citation helpers.
"""

from .application import (
    DOCUMENT_NAMES,
    Application,
    Art25Category,
    Art32Circumstance,
    Art42Category,
    Document,
    MatterType,
    UrgentMeasure,
)
from .articles import LAWYERS_LAW, LEGAL_AID_LAW, Article, Bilingual
from .conduct import (
    CONDUCT_DUTIES,
    CONFIDENTIALITY,
    CONFLICT_OF_INTEREST,
    FORMER_JUDGES_AND_PROSECUTORS,
    NO_PAYMENT,
    NON_LAWYER_LIMITS,
    ConductDuty,
    StudentActivity,
    StudentPermission,
    student_may,
)
from .deadlines import (
    Deadline,
    DeadlineKind,
    DeadlineStatus,
    Party,
    case_deadlines,
    criminal_notice_deadlines,
    due_or_overdue,
    is_deemed_withdrawn,
    objection_deadlines,
)
from .eligibility import Decision, Outcome, PreCheckResult, RuleId, RuleResult, pre_check
from .ending import REFUSAL_NOTICE, AppealInfo, EndingGround, EndingGroundInfo, appeal_info, ending_grounds
from .rules import (
    CounselRules,
    DeadlineRules,
    DibaoMultipleLine,
    DocumentRules,
    FixedAmountLine,
    HardshipBasis,
    HardshipLine,
    LegalAidRules,
    MinimumWageLine,
    ProvisionalAidRules,
    SupplementClock,
    SupplementRules,
)

__all__ = [
    "CONDUCT_DUTIES",
    "CONFIDENTIALITY",
    "CONFLICT_OF_INTEREST",
    "DOCUMENT_NAMES",
    "FORMER_JUDGES_AND_PROSECUTORS",
    "LAWYERS_LAW",
    "LEGAL_AID_LAW",
    "NON_LAWYER_LIMITS",
    "NO_PAYMENT",
    "REFUSAL_NOTICE",
    "AppealInfo",
    "Application",
    "Art25Category",
    "Art32Circumstance",
    "Art42Category",
    "Article",
    "Bilingual",
    "ConductDuty",
    "CounselRules",
    "Deadline",
    "DeadlineKind",
    "DeadlineRules",
    "DeadlineStatus",
    "Decision",
    "DibaoMultipleLine",
    "Document",
    "DocumentRules",
    "EndingGround",
    "EndingGroundInfo",
    "FixedAmountLine",
    "HardshipBasis",
    "HardshipLine",
    "LegalAidRules",
    "MatterType",
    "MinimumWageLine",
    "Outcome",
    "Party",
    "PreCheckResult",
    "ProvisionalAidRules",
    "RuleId",
    "RuleResult",
    "StudentActivity",
    "StudentPermission",
    "SupplementClock",
    "SupplementRules",
    "UrgentMeasure",
    "appeal_info",
    "case_deadlines",
    "criminal_notice_deadlines",
    "due_or_overdue",
    "ending_grounds",
    "is_deemed_withdrawn",
    "objection_deadlines",
    "pre_check",
    "student_may",
]
