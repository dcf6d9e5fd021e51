"""Completeness of the application (第四十三条第二款) and provisional aid (第四十四条)."""

from __future__ import annotations

from datetime import date

from ..application import (
    DOCUMENT_NAMES,
    Application,
    Document,
)
from ..articles import (
    LA_43,
    LA_44,
    join_citations,
)
from ..results import Findings, Outcome, RuleId
from ..rules import LegalAidRules

__all__ = ["documents", "provisional_aid"]


def documents(app: Application, rules: LegalAidRules, state: Findings) -> None:
    """Rule DOCUMENTS_COMPLETE: list what is missing, for the single request of 第四十三条第二款."""
    needed: list[Document] = []
    if rules.documents.require_identity_proof:
        needed.append(Document.IDENTITY_PROOF)
    if state.art42_proof_pending:
        needed.append(Document.ART42_CATEGORY_PROOF)
    elif state.means_applies:
        needed.append(Document.HARDSHIP_PROOF)
    if rules.documents.require_matter_evidence:
        needed.append(Document.MATTER_EVIDENCE)
    missing = tuple(d for d in needed if d not in app.documents)
    if missing:
        names_zh = "、".join(DOCUMENT_NAMES[d].zh for d in missing)
        names_en = "; ".join(DOCUMENT_NAMES[d].en for d in missing)
        state.add(
            RuleId.DOCUMENTS_COMPLETE,
            Outcome.FAILED,
            LA_43.cite(2),
            f"申请材料不齐全，尚缺：{names_zh}。应当一次性告知申请人需要补充的全部材料；"
            f"申请人未在{rules.supplement.response_days}日内（本项目设定）补充的，视为撤回申请。",
            f"Documents missing: {names_en}. Tell the applicant everything missing in one request; if "
            f"not supplied within {rules.supplement.response_days} days (programme setting), the "
            "application counts as withdrawn.",
            missing=missing,
        )
    else:
        state.add(
            RuleId.DOCUMENTS_COMPLETE,
            Outcome.PASSED,
            LA_43.cite(2),
            "申请材料齐全。",
            "All required documents are supplied.",
        )


# --- 6. provisional aid (第四十四条) ----------------------------------------------------------------


def provisional_aid(app: Application, rules: LegalAidRules, today: date, state: Findings) -> None:
    """Rule PROVISIONAL_AID: the grounds of 第四十四条第一款 — fewer than N days (law: 7) before a
    limitation period or time limit expires, urgent preservation or advance execution, another prescribed
    ground. A date already past is flagged for a lawyer, not treated as a ground."""
    threshold = rules.provisional_aid.days_before_expiry
    grounds_zh: list[str] = []
    grounds_en: list[str] = []
    items: list[int] = []
    expired = False
    if app.limitation_expires_on is not None:
        left = (app.limitation_expires_on - today).days
        expired = left < 0
        if 0 <= left < threshold:
            if rules.provisional_aid.is_statutory:
                basis_zh, basis_en = "法定标准", "the statutory figure"
            else:
                basis_zh, basis_en = (
                    "本项目设定，法律规定为不足七日",
                    "a programme setting; the law says fewer than 7",
                )
            grounds_zh.append(
                f"距法定时效或者期限届满还有{left}日，不足{threshold}日（{basis_zh}），需要及时起诉或申请"
                "仲裁、行政复议"
            )
            grounds_en.append(
                f"{left} days left before the limitation period or time limit expires, fewer than "
                f"{threshold} ({basis_en}), and a suit, arbitration or reconsideration must be filed"
            )
            items.append(1)
    if app.urgent_measures:
        grounds_zh.append("需要立即申请财产保全、证据保全或者先予执行")
        grounds_en.append("property or evidence preservation or advance execution must be sought at once")
        items.append(2)
    if app.provisional_other_basis:
        grounds_zh.append(f"其他规定情形：{app.provisional_other_basis}")
        grounds_en.append(f"another prescribed ground: {app.provisional_other_basis}")
        items.append(3)
    if items:
        state.provisional = True
        state.add(
            RuleId.PROVISIONAL_AID,
            Outcome.PASSED,
            join_citations(LA_44.cite(1, i) for i in items),
            "；".join(grounds_zh) + "。法律援助机构可以决定先行提供法律援助，受援人应当及时补办有关手续、"
            "补充有关材料（第四十四条第二款）。",
            "; ".join(grounds_en) + ". The agency may decide to provide aid provisionally; the client must "
            "then complete the formalities and documents promptly (Art.44(2)).",
        )
    elif expired:
        state.add(
            RuleId.PROVISIONAL_AID,
            Outcome.NOT_APPLICABLE,
            LA_44.cite(1, 1),
            f"所填时效或期限已于{app.limitation_expires_on}届满，不属于先行提供法律援助情形；请律师尽快评估"
            "时效是否中止、中断。",
            f"The limitation period or time limit entered expired on {app.limitation_expires_on}; this is "
            "not a provisional-aid ground. A lawyer should check urgently for suspension or interruption.",
        )
    else:
        state.add(
            RuleId.PROVISIONAL_AID,
            Outcome.NOT_APPLICABLE,
            LA_44.cite(1),
            "无第四十四条规定的先行提供法律援助情形。",
            "No Art.44 ground for provisional aid.",
        )
