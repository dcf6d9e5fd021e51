"""Who may take a post: the engine's checks, then every plan-type hook's.

Engine checks: age within the programme's minimum and the post's range (the ID number gives the
birth date; 志愿服务条例 第十五条 and the provincial regulations restrict minors), minors only
with guardian consent where the programme admits them, the post's skills, languages and
qualifications, and (when assigning) its required courses, unexpired on the day.
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


def age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


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
    reasons: list[str] = []
    age = age_on(volunteer.birth_date, on)
    rec = programme.config.recruitment
    if age < rec.min_age:
        if not rec.minors_allowed:
            reasons.append(f"年龄 {age} 岁，未满 {rec.min_age} 岁 / aged {age}, under the programme's minimum of "
                           f"{rec.min_age} (志愿服务条例 第十五条: minors only in age-appropriate service with guardian consent)")
        else:
            enr = session.scalars(select(Enrolment).where(
                Enrolment.programme_id == programme.id, Enrolment.volunteer_id == volunteer.id)).first()
            if enr is None or not enr.guardian_consent:
                reasons.append(f"未成年人（{age} 岁）需监护人同意 / a minor (aged {age}) needs recorded guardian consent "
                               "(志愿服务条例 第十五条)")
    if post.min_age is not None and age < post.min_age:
        reasons.append(f"岗位「{post.name}」要求至少 {post.min_age} 岁，实际 {age} 岁 / post {post.name!r} needs age ≥ {post.min_age}, is {age}")
    if post.max_age is not None and age > post.max_age:
        reasons.append(f"岗位「{post.name}」要求不超过 {post.max_age} 岁，实际 {age} 岁 / post {post.name!r} needs age ≤ {post.max_age}, is {age}")
    for label, needed, has in (("技能 skills", post.skills, volunteer.skills), ("语言 languages", post.languages, volunteer.languages),
                               ("资质 qualifications", post.qualifications, volunteer.qualifications)):
        lacking = [x for x in (needed or []) if x not in (has or [])]
        if lacking:
            reasons.append(f"缺少岗位要求的{label}: {', '.join(map(str, lacking))} / lacks required {label.split()[1]}")
    if include_courses:
        reasons.extend(missing_courses(session, programme.id, volunteer.id, list(post.required_courses or []), on))
    for answer in host.call("volunteer_check_eligibility", plan_type=programme.plan_type_id, volunteer=volunteer,
                            post=post, programme=programme, session=session, on=on):
        reasons.extend(answer)
    return reasons


def post_of(session: Session, programme_id: str, post_id: int) -> Post | None:
    post = session.get(Post, post_id)
    return post if post is not None and post.programme_id == programme_id else None
