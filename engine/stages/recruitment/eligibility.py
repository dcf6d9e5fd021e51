"""Who may take a post: the engine's checks, then every plan-type hook's.

Engine checks, each failure a reason naming the rule:

* **Minors** (under 18: 003 附件4 第二条 — full civil capacity at 18; 志愿服务条例 第十五条 — service
  must suit the volunteer's age): refused unless the programme admits minors
  (``recruitment.minors_allowed``); where it does, a recorded guardian consent is required, and a
  ``min_age`` below 18 is the floor (e.g. 14).
* **Adults** below the programme's ``min_age`` (when it is above 18) are refused.
* The post's own age range, skills, languages and qualifications.
* When assigning (``include_courses``), the post's required courses, unexpired on the day
  (:func:`engine.stages.training.checks.missing_courses`).

The birth date comes from the validated ID number, so an age cannot be typed wrong.

Added for youth (issue 13): where the programme's rules carry a minors policy (``rules.minors``, a
region pack), its registration age is a floor too and its closed categories are refused to minors
even with consent (:mod:`engine.rules.minors`); with ``recruitment.guardian_consent: workflow`` the
consent comes from :mod:`engine.stages.recruitment.consent` (pending until given).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.plugins import PluginHost
from engine.programme import LoadedProgramme
from engine.stages.design.models import Post
from engine.stages.recruitment.models import Enrolment, Volunteer
from engine.stages.training.checks import missing_courses

ADULT_AGE = 18
ART15 = "志愿服务条例 第十五条; 003 附件4 第二条"


def age_on(birth: dt.date, on: dt.date) -> int:
    """Whole years on ``on``; the birthday itself counts (born 2008-05-01 is 18 on 2026-05-01)."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def age_reasons(session: Session, programme: LoadedProgramme, volunteer: Volunteer, on: dt.date) -> list[str]:
    """The programme-level age rules (not the post's): minors, guardian consent, minimum age."""
    age = age_on(volunteer.birth_date, on)
    rec = programme.config.recruitment
    # --- added for youth (issue 13): region minors policy and the consent workflow ---
    from engine.rules.minors import too_young
    from engine.stages.recruitment import consent

    minors = programme.rules_policy.minors
    region = too_young(minors, age) if minors is not None else None
    if consent.workflow_mode(programme) and rec.minors_allowed and age < ADULT_AGE:
        out = [region] if region else []
        if age < rec.min_age < ADULT_AGE:
            out.append(f"年龄 {age} 岁，未满本项目接收未成年人的最低年龄 {rec.min_age} 岁 / aged {age}, under the "
                       f"programme's minimum of {rec.min_age} for minors ({ART15})")
        return out + consent.consent_reasons(session, programme, volunteer, age)
    if region:
        return [region]
    # --- end youth ---
    if age >= ADULT_AGE:
        if age < rec.min_age:
            return [f"年龄 {age} 岁，未满本项目要求的 {rec.min_age} 岁 / aged {age}, under the programme's "
                    f"minimum of {rec.min_age}"]
        return []
    if not rec.minors_allowed:
        return [f"年龄 {age} 岁，未满 {max(rec.min_age, ADULT_AGE)} 岁，本项目不接收未成年人 / aged {age}, under "
                f"the programme's minimum of {max(rec.min_age, ADULT_AGE)}; this programme does not admit minors "
                f"({ART15})"]
    reasons: list[str] = []
    if age < rec.min_age < ADULT_AGE:
        reasons.append(f"年龄 {age} 岁，未满本项目接收未成年人的最低年龄 {rec.min_age} 岁 / aged {age}, under the "
                       f"programme's minimum of {rec.min_age} for minors ({ART15})")
    enr = session.scalars(select(Enrolment).where(
        Enrolment.programme_id == programme.id, Enrolment.volunteer_id == volunteer.id)).first()
    if enr is None or not enr.guardian_consent:
        reasons.append(f"未成年人（{age} 岁）需登记监护人同意 / a minor (aged {age}) needs recorded guardian "
                       f"consent ({ART15})")
    return reasons


def check_eligibility(
    session: Session,
    programme: LoadedProgramme,
    host: PluginHost,
    volunteer: Volunteer,
    post: Post,
    on: dt.date,
    *,
    include_courses: bool = False,
) -> list[str]:
    """Every reason ``volunteer`` may not take ``post`` on day ``on``; empty means eligible."""
    reasons = age_reasons(session, programme, volunteer, on)
    age = age_on(volunteer.birth_date, on)
    minors = programme.rules_policy.minors  # --- added for youth (issue 13): closed to minors, even with consent
    if minors is not None:
        from engine.rules.minors import closed_reasons
        from engine.stages.design.models import Project

        project = session.get(Project, post.project_id)
        reasons.extend(closed_reasons(minors, age, post_name=post.name, category=post.category,
                                      project_kind=project.kind if project is not None else None))
    if post.min_age is not None and age < post.min_age:
        reasons.append(f"岗位「{post.name}」要求至少 {post.min_age} 岁，实际 {age} 岁 / post {post.name!r} needs "
                       f"age ≥ {post.min_age}, is {age} (志愿服务条例 第十五条)")
    if post.max_age is not None and age > post.max_age:
        reasons.append(f"岗位「{post.name}」要求不超过 {post.max_age} 岁，实际 {age} 岁 / post {post.name!r} needs "
                       f"age ≤ {post.max_age}, is {age} (志愿服务条例 第十五条)")
    for zh, en, needed, has in (("技能", "skills", post.skills, volunteer.skills),
                                ("语言", "languages", post.languages, volunteer.languages),
                                ("资质", "qualifications", post.qualifications, volunteer.qualifications)):
        lacking = [str(x) for x in (needed or []) if x not in (has or [])]
        if lacking:
            reasons.append(f"缺少岗位「{post.name}」要求的{zh}: {'、'.join(lacking)} / lacks the {en} post "
                           f"{post.name!r} requires: {', '.join(lacking)}")
    if include_courses:
        reasons.extend(missing_courses(session, programme.id, volunteer.id, list(post.required_courses or []), on))
    for answer in host.call("volunteer_check_eligibility", plan_type=programme.plan_type_id, volunteer=volunteer,
                            post=post, programme=programme, session=session, on=on):
        reasons.extend(answer)
    return reasons


def post_of(session: Session, programme_id: str, post_id: int) -> Post | None:
    post = session.get(Post, post_id)
    return post if post is not None and post.programme_id == programme_id else None
