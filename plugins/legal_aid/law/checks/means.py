"""The means test: 第三十二条 lifts it, 第四十二条 exempts from verification, 第三十四条 sets the line."""

from __future__ import annotations

from decimal import Decimal

from ..application import (
    Application,
    Art42Category,
    Document,
    MatterType,
)
from ..articles import (
    LA_24,
    LA_32,
    LA_34,
    LA_41,
    LA_42,
    join_citations,
)
from ..results import Findings, Outcome, RuleId
from ..rules import LegalAidRules, format_yuan

__all__ = ["art32", "art42", "economic_hardship"]


def art32(app: Application, state: Findings) -> None:
    """Rule ART32_NO_HARDSHIP_CONDITION: 第三十二条 circumstances are not limited by economic hardship."""
    if not app.art32:
        state.add(
            RuleId.ART32_NO_HARDSHIP_CONDITION,
            Outcome.NOT_APPLICABLE,
            LA_32.cite(),
            "未勾选第三十二条情形。",
            "No Art.32 circumstance recorded.",
        )
        return
    state.means_applies = False
    items = sorted(c.item for c in app.art32)
    names = "；".join(LA_32.item_text(i) for i in items)
    state.add(
        RuleId.ART32_NO_HARDSHIP_CONDITION,
        Outcome.PASSED,
        join_citations(LA_32.cite(item=i) for i in items),
        f"{names}：申请法律援助不受经济困难条件的限制，无需收入证明；仍需提供事项证据。",
        "An Art.32 circumstance applies: aid is not limited by economic hardship, so no income proof is "
        "needed; evidence about the matter is still required.",
    )


_ART42_MATTERS = {MatterType.LABOUR_REMUNERATION, MatterType.WORK_INJURY}


def art42(app: Application, state: Findings) -> None:
    """Rule ART42_VERIFICATION_EXEMPT: 第四十二条 groups, with proof (有材料证明), skip hardship verification;
    migrant workers (第三项) only when claiming wages or work-injury damages."""
    if not app.art42 or not state.means_applies:
        reason_zh = "未勾选第四十二条人员类别。" if not app.art42 else "已适用第三十二条，不再审查经济困难。"
        reason_en = "No Art.42 group recorded." if not app.art42 else "Art.32 applies; no means test at all."
        state.add(
            RuleId.ART42_VERIFICATION_EXEMPT, Outcome.NOT_APPLICABLE, LA_42.cite(), reason_zh, reason_en
        )
        return
    valid = sorted(
        (
            c
            for c in app.art42
            if c is not Art42Category.MIGRANT_WORKER_PAY_OR_WORK_INJURY or app.matter in _ART42_MATTERS
        ),
        key=lambda c: c.item,
    )
    if not valid:
        state.add(
            RuleId.ART42_VERIFICATION_EXEMPT,
            Outcome.FAILED,
            LA_42.cite(item=3),
            "进城务工人员仅在申请支付劳动报酬或请求工伤事故人身损害赔偿时免予核查；本事项不符，需核查经济困难状况。",
            "Migrant workers are exempt only when claiming wages or work-injury damages; this matter is "
            "neither, so hardship must be verified.",
        )
        return
    article = join_citations(LA_42.cite(item=c.item) for c in valid)
    names = "；".join(LA_42.item_text(c.item) for c in valid)
    if Document.ART42_CATEGORY_PROOF in app.documents:
        state.means_applies = False
        state.add(
            RuleId.ART42_VERIFICATION_EXEMPT,
            Outcome.PASSED,
            article,
            f"有材料证明属于{names}，免予核查经济困难状况；仍需提供事项证据。",
            "Proof of an Art.42 group is supplied: hardship is not verified. Evidence about the matter "
            "is still required.",
        )
    else:
        state.art42_proof_pending = True
        state.add(
            RuleId.ART42_VERIFICATION_EXEMPT,
            Outcome.FAILED,
            article,
            f"申报属于{names}，但尚无证明材料；第四十二条要求“有材料证明”方可免予核查。",
            "An Art.42 group is claimed but not yet proven; Art.42 exempts only those who prove it.",
            missing=(Document.ART42_CATEGORY_PROOF,),
        )


def economic_hardship(app: Application, rules: LegalAidRules, state: Findings) -> None:
    """Rule ECONOMIC_HARDSHIP: household income per member against the province's line (第三十四条), as
    stated by the applicant (第四十一条); Art.24's 'other reasons' for criminal defendants skip it."""
    line = rules.hardship_line
    article = join_citations([LA_34.cite(), LA_41.cite()])
    if not state.means_applies:
        state.add(
            RuleId.ECONOMIC_HARDSHIP,
            Outcome.NOT_APPLICABLE,
            article,
            "已适用第三十二条或第四十二条，不核查经济困难状况。",
            "Art.32 or Art.42 applies: economic hardship is not verified.",
        )
        return
    if app.matter is MatterType.CRIMINAL_DEFENCE and app.criminal_other_reason:
        state.means_applies = False
        state.add(
            RuleId.ECONOMIC_HARDSHIP,
            Outcome.NOT_APPLICABLE,
            LA_24.cite(),
            f"第二十四条允许“因经济困难或者其他原因”没有委托辩护人的申请；申请人所述其他原因：{app.criminal_other_reason}。"
            "是否成立由法律援助机构审查决定。",
            "Art.24 allows applications where there is no defender 'because of economic hardship or other "
            f"reasons'; the stated other reason is: {app.criminal_other_reason}. The agency decides "
            "whether it suffices.",
        )
        return
    description = line.describe()
    if state.art42_proof_pending and (app.household_monthly_income is None or app.household_size is None):
        state.add(
            RuleId.ECONOMIC_HARDSHIP,
            Outcome.NOT_APPLICABLE,
            article,
            "待第四十二条证明材料；如不能提供，申请人须如实说明家庭收入和人口，按经济困难标准"
            f"（{description.zh}）核查。",
            "Waiting for the Art.42 proof; if it cannot be given, the applicant must state household "
            f"income and size, to be checked against the hardship line ({description.en}).",
        )
        return
    if app.household_monthly_income is None or app.household_size is None:
        state.add(
            RuleId.ECONOMIC_HARDSHIP,
            Outcome.FAILED,
            article,
            f"缺少家庭月收入或家庭人口数，无法对照经济困难标准（{description.zh}）判断；申请人应如实说明经济困难状况。",
            f"Household monthly income or household size is missing, so the hardship line "
            f"({description.en}) cannot be applied; the applicant must state their means truthfully.",
            missing=(Document.HARDSHIP_PROOF,),
        )
        return
    income, size = app.household_monthly_income, app.household_size
    per_capita = format_yuan((income / size).quantize(Decimal("0.01")))
    income_text = format_yuan(income)
    source = f"；依据：{line.source}" if line.source else ""
    if line.is_hardship(income, size):
        state.add(
            RuleId.ECONOMIC_HARDSHIP,
            Outcome.PASSED,
            article,
            f"家庭月收入{income_text}元、{size}人，月人均约{per_capita}元，未超过经济困难标准（{description.zh}{source}）。"
            "经济困难标准由省级人民政府确定（第三十四条），本项目按上述配置执行。",
            f"Household income {income_text} yuan a month for {size} people, about {per_capita} yuan "
            f"each, is within the hardship line ({description.en}). The line is set by the province "
            "(Art.34) and configured by the programme.",
        )
    else:
        pending_zh = "如能提供第四十二条证明材料，则免予核查。" if state.art42_proof_pending else ""
        pending_en = (
            " If the Art.42 proof is supplied, hardship is not verified." if state.art42_proof_pending else ""
        )
        state.blocked = state.blocked or not state.art42_proof_pending
        state.add(
            RuleId.ECONOMIC_HARDSHIP,
            Outcome.FAILED,
            article,
            f"家庭月收入{income_text}元、{size}人，月人均约{per_capita}元，超过经济困难标准（{description.zh}{source}）。"
            + pending_zh,
            f"Household income {income_text} yuan a month for {size} people, about {per_capita} yuan "
            f"each, is above the hardship line ({description.en})." + pending_en,
        )
