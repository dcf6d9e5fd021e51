"""The statute text this package relies on, quoted verbatim, and how to cite it.

Sources (the official Chinese texts):

* 《中华人民共和国法律援助法》, adopted 2021-08-20, in force 2022-01-01 (第七十一条).
* 《中华人民共和国律师法》, as amended 2017-09-01.

Only the articles the rules use are quoted. Each :class:`Article` keeps its paragraphs (款) in order;
a paragraph with items (项) keeps each item on its own line, exactly as published. Citations follow the
usual Chinese form: ``《法律援助法》第四十三条第二款``, ``《法律援助法》第三十一条第七项``.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

__all__ = [
    "LAWYERS_LAW",
    "LA_2",
    "LA_14",
    "LA_17",
    "LA_20",
    "LA_21",
    "LA_22",
    "LA_24",
    "LA_25",
    "LA_26",
    "LA_27",
    "LA_28",
    "LA_29",
    "LA_31",
    "LA_32",
    "LA_33",
    "LA_34",
    "LA_36",
    "LA_39",
    "LA_40",
    "LA_41",
    "LA_42",
    "LA_43",
    "LA_44",
    "LA_48",
    "LA_49",
    "LA_64",
    "LEGAL_AID_LAW",
    "LL_13",
    "LL_38",
    "LL_39",
    "LL_40",
    "LL_41",
    "LL_42",
    "Article",
    "Bilingual",
    "join_citations",
    "zh_number",
]

LEGAL_AID_LAW = "《法律援助法》"
"""Short title of 《中华人民共和国法律援助法》 (2021), used in every citation."""

LAWYERS_LAW = "《律师法》"
"""Short title of 《中华人民共和国律师法》 (2017 amendment), used in every citation."""

_DIGITS = "零一二三四五六七八九"


def zh_number(n: int) -> str:
    """Write 1–99 as Chinese numerals the way statutes number articles (``31`` → ``三十一``)."""
    if not 1 <= n <= 99:
        raise ValueError(f"article numbers 1–99 only, got {n}")
    if n < 10:
        return _DIGITS[n]
    tens, units = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + ("" if units == 0 else _DIGITS[units])


def join_citations(citations: Iterable[str]) -> str:
    """Join citations with ``、``, dropping a law's title when it repeats.

    ``["《法律援助法》第三十四条", "《法律援助法》第四十一条"]`` → ``《法律援助法》第三十四条、第四十一条``.
    """
    parts: list[str] = []
    previous_law = None
    for citation in citations:
        law, _, rest = citation.partition("》")
        law += "》"
        parts.append(rest if law == previous_law else citation)
        previous_law = law
    return "、".join(parts)


class Bilingual(BaseModel):
    """A text for coordinators: Chinese first, English alongside."""

    model_config = ConfigDict(frozen=True)

    zh: str
    en: str

    def __str__(self) -> str:
        return f"{self.zh}（{self.en}）"


class Article(BaseModel):
    """One article of a law, quoted verbatim, paragraph by paragraph."""

    model_config = ConfigDict(frozen=True)

    law: str
    number: int
    paragraphs: tuple[str, ...]

    def cite(self, paragraph: int | None = None, item: int | None = None) -> str:
        """Citation such as ``《法律援助法》第四十三条第二款`` or ``《法律援助法》第三十一条第七项``.

        ``paragraph`` and ``item`` are 1-based. An item of a one-paragraph article is cited without
        the paragraph, as statutes themselves do.
        """
        text = f"{self.law}第{zh_number(self.number)}条"
        if paragraph is not None:
            self.paragraph(paragraph)  # validates the number
            text += f"第{zh_number(paragraph)}款"
        if item is not None:
            self.item(item, paragraph or 1)
            text += f"第{zh_number(item)}项"
        return text

    def paragraph(self, n: int = 1) -> str:
        """The text of paragraph ``n`` (1-based), items included."""
        if not 1 <= n <= len(self.paragraphs):
            raise ValueError(f"{self.law}第{zh_number(self.number)}条 has no paragraph {n}")
        return self.paragraphs[n - 1]

    def item(self, n: int, paragraph: int = 1) -> str:
        """The text of item ``（n）`` of a paragraph, e.g. ``（一）依法请求国家赔偿；``."""
        lines = self.paragraph(paragraph).split("\n")
        marker = f"（{zh_number(n)}）"
        for line in lines[1:]:
            if line.startswith(marker):
                return line
        raise ValueError(f"{self.cite(paragraph)} has no item {marker}")

    def item_text(self, n: int, paragraph: int = 1) -> str:
        """An item's words without its ``（n）`` marker and closing punctuation (``依法请求国家赔偿``)."""
        line = self.item(n, paragraph)
        return line[len(f"（{zh_number(n)}）") :].rstrip("；。")

    @property
    def text(self) -> str:
        """The whole article, paragraphs separated by blank lines."""
        return "\n\n".join(self.paragraphs)


# --- 《法律援助法》 -------------------------------------------------------------------------

LA_2 = Article(
    law=LEGAL_AID_LAW,
    number=2,
    paragraphs=(
        "本法所称法律援助，是国家建立的为经济困难公民和符合法定条件的其他当事人无偿提供法律咨询、代理、刑事辩护等法律服务的制度，是公共法律服务体系的组成部分。",
    ),
)

LA_14 = Article(
    law=LEGAL_AID_LAW,
    number=14,
    paragraphs=(
        "法律援助机构可以在人民法院、人民检察院和看守所等场所派驻值班律师，依法为没有辩护人的犯罪嫌疑人、被告人提供法律援助。",
    ),
)


LA_17 = Article(
    law=LEGAL_AID_LAW,
    number=17,
    paragraphs=(
        "国家鼓励和规范法律援助志愿服务；支持符合条件的个人作为法律援助志愿者，依法提供法律援助。",
        "高等院校、科研机构可以组织从事法学教育、研究工作的人员和法学专业学生作为法律援助志愿者，在司法行政部门指导下，为当事人提供法律咨询、代拟法律文书等法律援助。",
        "法律援助志愿者具体管理办法由国务院有关部门规定。",
    ),
)

LA_20 = Article(
    law=LEGAL_AID_LAW,
    number=20,
    paragraphs=("法律援助人员应当恪守职业道德和执业纪律，不得向受援人收取任何财物。",),
)

LA_21 = Article(
    law=LEGAL_AID_LAW,
    number=21,
    paragraphs=(
        "法律援助机构、法律援助人员对提供法律援助过程中知悉的国家秘密、商业秘密和个人隐私应当予以保密。",
    ),
)

LA_22 = Article(
    law=LEGAL_AID_LAW,
    number=22,
    paragraphs=(
        (
            "法律援助机构可以组织法律援助人员依法提供下列形式的法律援助服务：\n"
            "（一）法律咨询；\n"
            "（二）代拟法律文书；\n"
            "（三）刑事辩护与代理；\n"
            "（四）民事案件、行政案件、国家赔偿案件的诉讼代理及非诉讼代理；\n"
            "（五）值班律师法律帮助；\n"
            "（六）劳动争议调解与仲裁代理；\n"
            "（七）法律、法规、规章规定的其他形式。"
        ),
    ),
)

LA_24 = Article(
    law=LEGAL_AID_LAW,
    number=24,
    paragraphs=(
        "刑事案件的犯罪嫌疑人、被告人因经济困难或者其他原因没有委托辩护人的，本人及其近亲属可以向法律援助机构申请法律援助。",
    ),
)

LA_25 = Article(
    law=LEGAL_AID_LAW,
    number=25,
    paragraphs=(
        (
            "刑事案件的犯罪嫌疑人、被告人属于下列人员之一，没有委托辩护人的，人民法院、人民检察院、公安机关应当通知法律援助机构指派律师担任辩护人：\n"
            "（一）未成年人；\n"
            "（二）视力、听力、言语残疾人；\n"
            "（三）不能完全辨认自己行为的成年人；\n"
            "（四）可能被判处无期徒刑、死刑的人；\n"
            "（五）申请法律援助的死刑复核案件被告人；\n"
            "（六）缺席审判案件的被告人；\n"
            "（七）法律法规规定的其他人员。"
        ),
        "其他适用普通程序审理的刑事案件，被告人没有委托辩护人的，人民法院可以通知法律援助机构指派律师担任辩护人。",
    ),
)

LA_26 = Article(
    law=LEGAL_AID_LAW,
    number=26,
    paragraphs=(
        "对可能被判处无期徒刑、死刑的人，以及死刑复核案件的被告人，法律援助机构收到人民法院、人民检察院、公安机关通知后，应当指派具有三年以上相关执业经历的律师担任辩护人。",
    ),
)

LA_27 = Article(
    law=LEGAL_AID_LAW,
    number=27,
    paragraphs=(
        "人民法院、人民检察院、公安机关通知法律援助机构指派律师担任辩护人时，不得限制或者损害犯罪嫌疑人、被告人委托辩护人的权利。",
    ),
)

LA_28 = Article(
    law=LEGAL_AID_LAW,
    number=28,
    paragraphs=(
        "强制医疗案件的被申请人或者被告人没有委托诉讼代理人的，人民法院应当通知法律援助机构指派律师为其提供法律援助。",
    ),
)

LA_29 = Article(
    law=LEGAL_AID_LAW,
    number=29,
    paragraphs=(
        "刑事公诉案件的被害人及其法定代理人或者近亲属，刑事自诉案件的自诉人及其法定代理人，刑事附带民事诉讼案件的原告人及其法定代理人，因经济困难没有委托诉讼代理人的，可以向法律援助机构申请法律援助。",
    ),
)

LA_31 = Article(
    law=LEGAL_AID_LAW,
    number=31,
    paragraphs=(
        (
            "下列事项的当事人，因经济困难没有委托代理人的，可以向法律援助机构申请法律援助：\n"
            "（一）依法请求国家赔偿；\n"
            "（二）请求给予社会保险待遇或者社会救助；\n"
            "（三）请求发给抚恤金；\n"
            "（四）请求给付赡养费、抚养费、扶养费；\n"
            "（五）请求确认劳动关系或者支付劳动报酬；\n"
            "（六）请求认定公民无民事行为能力或者限制民事行为能力；\n"
            "（七）请求工伤事故、交通事故、食品药品安全事故、医疗事故人身损害赔偿；\n"
            "（八）请求环境污染、生态破坏损害赔偿；\n"
            "（九）法律、法规、规章规定的其他情形。"
        ),
    ),
)

LA_32 = Article(
    law=LEGAL_AID_LAW,
    number=32,
    paragraphs=(
        (
            "有下列情形之一，当事人申请法律援助的，不受经济困难条件的限制：\n"
            "（一）英雄烈士近亲属为维护英雄烈士的人格权益；\n"
            "（二）因见义勇为行为主张相关民事权益；\n"
            "（三）再审改判无罪请求国家赔偿；\n"
            "（四）遭受虐待、遗弃或者家庭暴力的受害人主张相关权益；\n"
            "（五）法律、法规、规章规定的其他情形。"
        ),
    ),
)

LA_33 = Article(
    law=LEGAL_AID_LAW,
    number=33,
    paragraphs=(
        "当事人不服司法机关生效裁判或者决定提出申诉或者申请再审，人民法院决定、裁定再审或者人民检察院提出抗诉，因经济困难没有委托辩护人或者诉讼代理人的，本人及其近亲属可以向法律援助机构申请法律援助。",
    ),
)

LA_34 = Article(
    law=LEGAL_AID_LAW,
    number=34,
    paragraphs=(
        "经济困难的标准，由省、自治区、直辖市人民政府根据本行政区域经济发展状况和法律援助工作需要确定，并实行动态调整。",
    ),
)

LA_36 = Article(
    law=LEGAL_AID_LAW,
    number=36,
    paragraphs=(
        "人民法院、人民检察院、公安机关办理刑事案件，发现有本法第二十五条第一款、第二十八条规定情形的，应当在三日内通知法律援助机构指派律师。法律援助机构收到通知后，应当在三日内指派律师并通知人民法院、人民检察院、公安机关。",
    ),
)

LA_39 = Article(
    law=LEGAL_AID_LAW,
    number=39,
    paragraphs=(
        "被羁押的犯罪嫌疑人、被告人、服刑人员，以及强制隔离戒毒人员等提出法律援助申请的，办案机关、监管场所应当在二十四小时内将申请转交法律援助机构。",
        "犯罪嫌疑人、被告人通过值班律师提出代理、刑事辩护等法律援助申请的，值班律师应当在二十四小时内将申请转交法律援助机构。",
    ),
)

LA_40 = Article(
    law=LEGAL_AID_LAW,
    number=40,
    paragraphs=(
        "无民事行为能力人或者限制民事行为能力人需要法律援助的，可以由其法定代理人代为提出申请。法定代理人侵犯无民事行为能力人、限制民事行为能力人合法权益的，其他法定代理人或者近亲属可以代为提出法律援助申请。",
        "被羁押的犯罪嫌疑人、被告人、服刑人员，以及强制隔离戒毒人员，可以由其法定代理人或者近亲属代为提出法律援助申请。",
    ),
)

LA_41 = Article(
    law=LEGAL_AID_LAW,
    number=41,
    paragraphs=(
        "因经济困难申请法律援助的，申请人应当如实说明经济困难状况。",
        "法律援助机构核查申请人的经济困难状况，可以通过信息共享查询，或者由申请人进行个人诚信承诺。",
        "法律援助机构开展核查工作，有关部门、单位、村民委员会、居民委员会和个人应当予以配合。",
    ),
)

LA_42 = Article(
    law=LEGAL_AID_LAW,
    number=42,
    paragraphs=(
        (
            "法律援助申请人有材料证明属于下列人员之一的，免予核查经济困难状况：\n"
            "（一）无固定生活来源的未成年人、老年人、残疾人等特定群体；\n"
            "（二）社会救助、司法救助或者优抚对象；\n"
            "（三）申请支付劳动报酬或者请求工伤事故人身损害赔偿的进城务工人员；\n"
            "（四）法律、法规、规章规定的其他人员。"
        ),
    ),
)

LA_43 = Article(
    law=LEGAL_AID_LAW,
    number=43,
    paragraphs=(
        "法律援助机构应当自收到法律援助申请之日起七日内进行审查，作出是否给予法律援助的决定。决定给予法律援助的，应当自作出决定之日起三日内指派法律援助人员为受援人提供法律援助；决定不给予法律援助的，应当书面告知申请人，并说明理由。",
        "申请人提交的申请材料不齐全的，法律援助机构应当一次性告知申请人需要补充的材料或者要求申请人作出说明。申请人未按要求补充材料或者作出说明的，视为撤回申请。",
    ),
)

LA_44 = Article(
    law=LEGAL_AID_LAW,
    number=44,
    paragraphs=(
        (
            "法律援助机构收到法律援助申请后，发现有下列情形之一的，可以决定先行提供法律援助：\n"
            "（一）距法定时效或者期限届满不足七日，需要及时提起诉讼或者申请仲裁、行政复议；\n"
            "（二）需要立即申请财产保全、证据保全或者先予执行；\n"
            "（三）法律、法规、规章规定的其他情形。"
        ),
        "法律援助机构先行提供法律援助的，受援人应当及时补办有关手续，补充有关材料。",
    ),
)

LA_48 = Article(
    law=LEGAL_AID_LAW,
    number=48,
    paragraphs=(
        (
            "有下列情形之一的，法律援助机构应当作出终止法律援助的决定：\n"
            "（一）受援人以欺骗或者其他不正当手段获得法律援助；\n"
            "（二）受援人故意隐瞒与案件有关的重要事实或者提供虚假证据；\n"
            "（三）受援人利用法律援助从事违法活动；\n"
            "（四）受援人的经济状况发生变化，不再符合法律援助条件；\n"
            "（五）案件终止审理或者已经被撤销；\n"
            "（六）受援人自行委托律师或者其他代理人；\n"
            "（七）受援人有正当理由要求终止法律援助；\n"
            "（八）法律法规规定的其他情形。"
        ),
        "法律援助人员发现有前款规定情形的，应当及时向法律援助机构报告。",
    ),
)

LA_49 = Article(
    law=LEGAL_AID_LAW,
    number=49,
    paragraphs=(
        "申请人、受援人对法律援助机构不予法律援助、终止法律援助的决定有异议的，可以向设立该法律援助机构的司法行政部门提出。",
        "司法行政部门应当自收到异议之日起五日内进行审查，作出维持法律援助机构决定或者责令法律援助机构改正的决定。",
        "申请人、受援人对司法行政部门维持法律援助机构决定不服的，可以依法申请行政复议或者提起行政诉讼。",
    ),
)


LA_64 = Article(
    law=LEGAL_AID_LAW,
    number=64,
    paragraphs=(
        "受援人以欺骗或者其他不正当手段获得法律援助的，由司法行政部门责令其支付已实施法律援助的费用，并处三千元以下罚款。",
    ),
)

# --- 《律师法》 ---------------------------------------------------------------------------------

LL_13 = Article(
    law=LAWYERS_LAW,
    number=13,
    paragraphs=(
        "没有取得律师执业证书的人员，不得以律师名义从事法律服务业务；除法律另有规定外，不得从事诉讼代理或者辩护业务。",
    ),
)

LL_38 = Article(
    law=LAWYERS_LAW,
    number=38,
    paragraphs=(
        "律师应当保守在执业活动中知悉的国家秘密、商业秘密，不得泄露当事人的隐私。",
        "律师对在执业活动中知悉的委托人和其他人不愿泄露的有关情况和信息，应当予以保密。但是，委托人或者其他人准备或者正在实施危害国家安全、公共安全以及严重危害他人人身安全的犯罪事实和信息除外。",
    ),
)

LL_39 = Article(
    law=LAWYERS_LAW,
    number=39,
    paragraphs=(
        "律师不得在同一案件中为双方当事人担任代理人，不得代理与本人或者其近亲属有利益冲突的法律事务。",
    ),
)

LL_40 = Article(
    law=LAWYERS_LAW,
    number=40,
    paragraphs=(
        (
            "律师在执业活动中不得有下列行为:\n"
            "（一）私自接受委托、收取费用，接受委托人的财物或者其他利益；\n"
            "（二）利用提供法律服务的便利牟取当事人争议的权益；\n"
            "（三）接受对方当事人的财物或者其他利益，与对方当事人或者第三人恶意串通，侵害委托人的权益；\n"
            "（四）违反规定会见法官、检察官、仲裁员以及其他有关工作人员；\n"
            "（五）向法官、检察官、仲裁员以及其他有关工作人员行贿，介绍贿赂或者指使、诱导当事人行贿，或者以其他不正当方式影响法官、检察官、仲裁员以及其他有关工作人员依法办理案件；\n"
            "（六）故意提供虚假证据或者威胁、利诱他人提供虚假证据，妨碍对方当事人合法取得证据；\n"
            "（七）煽动、教唆当事人采取扰乱公共秩序、危害公共安全等非法手段解决争议；\n"
            "（八）扰乱法庭、仲裁庭秩序，干扰诉讼、仲裁活动的正常进行。"
        ),
    ),
)

LL_41 = Article(
    law=LAWYERS_LAW,
    number=41,
    paragraphs=(
        "曾经担任法官、检察官的律师，从人民法院、人民检察院离任后二年内，不得担任诉讼代理人或者辩护人。",
    ),
)

LL_42 = Article(
    law=LAWYERS_LAW,
    number=42,
    paragraphs=(
        "律师、律师事务所应当按照国家规定履行法律援助义务，为受援人提供符合标准的法律服务，维护受援人的合法权益。",
    ),
)
