"""The ``rules:`` section of a corporate programme (seed 000 篇4 企业员工技能型志愿服务).

The plan type's own keys: ``company``, ``departments`` (each with its liaison 联络员 and a quota),
``partners`` (the non-profits 合作公益组织 with their contacts), ``skills`` (the taxonomy, added to
the built-in one), ``committee`` (志愿服务委员会: quorum and majority), ``value_of_time`` (the hourly
rate a CSR report values volunteer time at, with its source) and ``hr_export`` (what may go to
performance reviews). The work-time allowance and the matching grants are the engine's
``rules.allowance`` and ``rules.grants`` (or a pack's, ``rules.pack``; ``docs/rules.md``).
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

KEY = r"^[a-z][a-z0-9_-]{0,62}$"

#: The built-in skills taxonomy (seed 000 篇4 发挥专业专长: IT技术、财务管理、法律咨询、市场营销、工程设计、人力资源).
DEFAULT_SKILLS: dict[str, str] = {
    "it": "信息技术 IT", "programming": "编程 Programming", "finance": "财务 Finance", "tax": "税务 Tax",
    "law": "法律 Law", "design": "设计 Design", "marketing": "市场营销 Marketing", "engineering": "工程 Engineering",
    "hr": "人力资源 Human resources", "health": "健康 Health", "teaching": "教学培训 Teaching",
    "languages": "外语 Languages", "english": "英语 English", "environment": "环保 Environment",
}
#: Parents in the built-in taxonomy: a match on a child counts for its parent.
DEFAULT_PARENTS: dict[str, str] = {"programming": "it", "tax": "finance", "english": "languages"}


class _Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Company(_Settings):
    name: str = Field(min_length=1, max_length=200)
    currency: str = Field(default="CNY", pattern=r"^[A-Z]{3}$")


class Department(_Settings):
    key: str = Field(pattern=KEY)
    name: str = Field(min_length=1, max_length=200)
    liaison: str | None = Field(default=None, max_length=120, description="username of the department's liaison")
    quota: int | None = Field(default=None, ge=1, le=10_000,
                              description="most employees of this department on one project")


class Contact(_Settings):
    name: str = Field(min_length=1, max_length=100)
    email: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=40)


class Partner(_Settings):
    key: str = Field(pattern=KEY)
    name: str = Field(min_length=1, max_length=200)
    kind: str = Field(default="nonprofit", max_length=60)
    contact: Contact
    users: list[str] = Field(default_factory=list, description="usernames who answer grant requests for it")


class Skill(_Settings):
    title: str = Field(min_length=1, max_length=100)
    parent: str | None = Field(default=None, pattern=KEY)


class Committee(_Settings):
    quorum: int = Field(default=3, ge=1, le=100, description="votes needed before a decision")
    majority: Decimal = Field(default=Decimal("0.5"), ge=Decimal("0.5"), lt=1,
                              description="share of approving votes that must be exceeded")


class ValueOfTime(_Settings):
    hourly_rate: Decimal = Field(gt=0)
    currency: str = Field(default="CNY", pattern=r"^[A-Z]{3}$")
    source: str = Field(min_length=1, max_length=500, description="where the rate comes from (required)")


class HrExport(_Settings):
    fields: list[str] = Field(default_factory=lambda: ["hours", "projects", "skills_used", "grants"])

    @field_validator("fields")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        allowed = {"hours", "projects", "skills_used", "grants", "satisfaction"}
        bad = [f for f in value if f not in allowed]
        if bad:
            raise ValueError(f"hr_export.fields: unknown {bad}; allowed: {sorted(allowed)}")
        return value


class PlanRules(_Settings):
    company: Company
    departments: list[Department] = Field(min_length=1)
    partners: list[Partner] = Field(default_factory=list)
    skills: dict[str, Skill] = Field(default_factory=dict, description="added to (or overriding) the built-in ones")
    committee: Committee = Field(default_factory=Committee)
    value_of_time: ValueOfTime | None = None
    hr_export: HrExport = Field(default_factory=HrExport)

    @model_validator(mode="after")
    def _unique(self) -> PlanRules:
        for what, keys in (("departments", [d.key for d in self.departments]),
                           ("partners", [p.key for p in self.partners])):
            dup = sorted({k for k in keys if keys.count(k) > 1})
            if dup:
                raise ValueError(f"{what}: key repeated: {', '.join(dup)}")
        taxonomy = self.taxonomy()
        for key, skill in self.skills.items():
            if skill.parent is not None and skill.parent not in taxonomy:
                raise ValueError(f"skills.{key}.parent: {skill.parent!r} is not a skill")
        return self

    def taxonomy(self) -> dict[str, str]:
        return {**DEFAULT_SKILLS, **{k: s.title for k, s in self.skills.items()}}

    def parent_of(self, skill: str) -> str | None:
        if skill in self.skills:
            return self.skills[skill].parent
        return DEFAULT_PARENTS.get(skill)

    def department(self, key: str) -> Department | None:
        return next((d for d in self.departments if d.key == key), None)

    def partner(self, key: str) -> Partner | None:
        return next((p for p in self.partners if p.key == key), None)
