"""Minors' rules as a policy: registration age, the consent band, what stays closed to minors.

A region's rules are a pack (``minors-national``, ``minors-zhejiang-2018`` …, see
``engine/rules/packs/``); a programme selects one with ``rules.pack`` (or a school's pack that
``extends:`` one) and may override figures. The mechanism is here and in
:mod:`engine.stages.recruitment.eligibility` / :mod:`engine.stages.recruitment.consent`:

* ``min_age`` — nobody younger registers or applies (e.g. 8 where only 限制民事行为能力人 may serve,
  Zhejiang 2018 Art.9 / Shandong 2021 Art.10 read with 民法典 Art.19–20);
* ``consent_below`` — below this age a guardian's consent is needed (18: 未成年人保护法 第二条);
  ``presence_instead`` — the region lets a guardian's presence (监护人陪同) stand in for consent, and
  the activity records who accompanied;
* ``closed`` — post categories (and project kinds) closed to minors **even with consent**, each with
  the article that closes it (抢险救灾: Zhejiang 2018 Art.9 ¶2, Shandong 2021 Art.10 ¶2).

Every refusal names its article (``cite``) so a coordinator can look it up.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ClosedRule(_Strict):
    """Post categories / project kinds closed to minors, and the article that closes them."""

    categories: list[str] = Field(default_factory=list, description="post categories (Post.category)")
    project_kinds: list[str] = Field(default_factory=list, description="project kinds (daily/periodic/emergency)")
    title: str = Field(default="", max_length=200, description="what is closed, as people say it (抢险救灾)")
    cite: str = Field(min_length=1, max_length=300, description="the article, e.g. 浙江省志愿服务条例（2018）第九条第二款")


class MinorsPolicy(_Strict):
    adult_age: int = Field(default=18, ge=14, le=21, description="未成年人保护法 第二条: under 18 is a minor")
    min_age: int = Field(default=0, ge=0, le=18, description="no registration or application below this age")
    min_age_cite: str = Field(default="", max_length=300)
    consent_below: int = Field(default=18, ge=0, le=21, description="a guardian consents below this age")
    consent_cite: str = Field(default="", max_length=300)
    presence_instead: bool = Field(default=False, description="a guardian's presence may replace consent (陪同)")
    closed: list[ClosedRule] = Field(default_factory=list)

    @model_validator(mode="after")
    def _bands(self) -> MinorsPolicy:
        if self.consent_below > self.adult_age:
            raise ValueError(f"minors.consent_below ({self.consent_below}) is above minors.adult_age "
                             f"({self.adult_age}): adults do not need a guardian")
        if self.min_age > self.adult_age:
            raise ValueError(f"minors.min_age ({self.min_age}) is above minors.adult_age ({self.adult_age})")
        return self


def too_young(policy: MinorsPolicy, age: int) -> str | None:
    """The reason ``age`` is below the region's registration age, or None."""
    if age >= policy.min_age:
        return None
    cite = f"（{policy.min_age_cite}）" if policy.min_age_cite else ""
    return (f"年龄 {age} 岁，未满本地区志愿者最低年龄 {policy.min_age} 岁{cite} / aged {age}, under the region's "
            f"minimum volunteer age of {policy.min_age}" + (f" ({policy.min_age_cite})" if policy.min_age_cite else ""))


def needs_consent(policy: MinorsPolicy, age: int) -> bool:
    return age < policy.consent_below


def closed_reasons(policy: MinorsPolicy, age: int, *, post_name: str, category: str,
                   project_kind: str | None) -> list[str]:
    """Why a minor of ``age`` may not take this post (closed categories), even with consent."""
    if age >= policy.adult_age:
        return []
    out = []
    for rule in policy.closed:
        hit = category in rule.categories or (project_kind is not None and project_kind in rule.project_kinds)
        if hit:
            what = rule.title or category
            out.append(f"岗位「{post_name}」属于{what}，禁止组织未成年人参加（{rule.cite}），监护人同意也不例外 / post "
                       f"{post_name!r} is {what}: closed to minors even with a guardian's consent ({rule.cite})")
    return out
