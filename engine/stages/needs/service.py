"""采集需求 Needs: record them, score and rank them, link them to the projects that answer them.

Priority score (seed 000 篇1 ranks needs by 高频次、紧急性、普遍性)::

    f = (frequency − 1) / 4                    1 → 0, 5 → 1
    u = (urgency − 1) / 4                      1 → 0, 5 → 1
    p = ln(1 + people) / ln(1 + max_people)    max_people: the programme's largest need → 1
    score = 100 · (w_f·f + w_u·u + w_p·p) / (w_f + w_u + w_p)

with the weights from the programme's ``needs.priority_weights`` (missing keys count 0; other
keys are left to plan-type scorers). People are log-scaled because reach is skewed: one need of a
whole estate (5,000 residents) must not flatten every household-sized need to zero, while a need
of 200 still ranks above a need of 20. Dividing by the weights' sum keeps the score in 0–100
whatever scale an admin writes the weights in. Because ``p`` is relative, a need's score moves
when a larger need is recorded; ranks are what matters. Ties go to the more urgent, then the
more widespread, then the earlier need.

A plan type may replace the whole scorer with the ``volunteer_score_need`` hook (first answer wins).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

from engine.errors import Conflict, InvalidInput, NotFound, PluginError
from engine.plugins import PluginHost
from engine.programme import LoadedProgramme
from engine.stages.design.models import Project
from engine.stages.needs.models import Need, ProjectNeed
from engine.stages.needs.schemas import NeedIn, NeedPatch
from engine.store.models import WorkflowInstance
from engine.workflow import stagegate as gate
from engine.workflow.service import FireResult, WorkflowService

WORKFLOW = "need"
SUBJECT = "need"
FACTORS = ("frequency", "urgency", "people_affected")
SORT_KEYS = ("score", "urgency", "frequency", "people_affected", "created_at", "id")


@dataclass
class RankedNeed:
    """A need as the lists and the report show it."""

    need: Need
    score: float
    rank: int = 0
    state: str | None = None
    state_title: str | None = None
    instance_id: int | None = None
    instance_version: int | None = None
    projects: list[tuple[int, str]] = field(default_factory=list)
    scored_by: str = "engine"  # or "plan_type" when volunteer_score_need answered


# ------------------------------------------------------------------ scoring


def engine_score(frequency: int, urgency: int, people: int, max_people: int, weights: dict[str, float]) -> float:
    """The engine's weighted score, 0–100 (see the module docstring)."""
    w = [float(weights.get(k, 0.0)) for k in FACTORS]
    total = sum(w)
    if total <= 0:
        return 0.0
    f = (frequency - 1) / 4
    u = (urgency - 1) / 4
    top = max(max_people, people, 1)
    p = math.log1p(people) / math.log1p(top)
    return 100 * (w[0] * f + w[1] * u + w[2] * p) / total


def score_need(host: PluginHost, programme: LoadedProgramme, need: Need, max_people: int) -> tuple[float, str]:
    """(score, who scored): the plan type's if its ``volunteer_score_need`` answers, else the engine's."""
    weights = dict(programme.config.needs.priority_weights)
    answer = host.call("volunteer_score_need", plan_type=programme.plan_type_id, firstresult=True,
                       need=need, weights=weights, programme=programme)
    if answer is None:
        return engine_score(need.frequency, need.urgency, need.people_affected, max_people, weights), "engine"
    try:
        value = float(answer)
    except (TypeError, ValueError) as exc:
        raise PluginError(f"volunteer_score_need 返回了非数值 {answer!r} / volunteer_score_need returned "
                          f"{answer!r}, not a number", hook="volunteer_score_need") from exc
    if math.isnan(value):
        raise PluginError("volunteer_score_need 返回了 NaN / volunteer_score_need returned NaN",
                          hook="volunteer_score_need")
    return value, "plan_type"


# ------------------------------------------------------------------ recording


def _check_vocabulary(programme: LoadedProgramme, group: str | None, category: str | None) -> None:
    cfg = programme.config.needs
    if group is not None and cfg.beneficiary_groups and group not in cfg.beneficiary_groups:
        raise InvalidInput(f"服务对象群体「{group}」不在本项目的列表中：{'、'.join(cfg.beneficiary_groups)} / "
                           f"beneficiary_group {group!r} is not one of the programme's needs.beneficiary_groups",
                           field="beneficiary_group", allowed=cfg.beneficiary_groups)
    if category is not None and cfg.categories and category not in cfg.categories:
        raise InvalidInput(f"需求类别「{category}」不在本项目的列表中：{'、'.join(cfg.categories)} / "
                           f"category {category!r} is not one of the programme's needs.categories",
                           field="category", allowed=cfg.categories)


def create_need(session: Session, programme: LoadedProgramme, host: PluginHost, data: NeedIn, *,
                actor: str) -> Need:
    """Record a need and start its ``need`` workflow (state *open*), unless the programme's
    configuration removed that workflow (then the need simply has no state)."""
    gate.require_open(session, programme, "needs")
    _check_vocabulary(programme, data.beneficiary_group, data.category)
    need = Need(programme_id=programme.id, created_by=actor, **data.model_dump())
    session.add(need)
    session.flush()
    if WORKFLOW in programme.workflows:
        WorkflowService(host).start(session, programme, WORKFLOW, SUBJECT, need.id, actor=actor)
    return need


def update_need(session: Session, programme: LoadedProgramme, need_id: int, changes: NeedPatch, *,
                actor: str) -> Need:
    """Correct a need's fields; only the fields sent are changed."""
    gate.require_open(session, programme, "needs")
    need = get_need(session, programme, need_id)
    values = changes.model_dump(exclude_unset=True)
    for name in ("title", "beneficiary_group", "category", "source", "frequency", "urgency", "people_affected"):
        if name in values and values[name] is None:
            raise InvalidInput(f"字段 {name} 不能为空 / {name} cannot be null", field=name)
    _check_vocabulary(programme, values.get("beneficiary_group"), values.get("category"))
    for name, value in values.items():
        setattr(need, name, value)
    session.flush()
    return need


def get_need(session: Session, programme: LoadedProgramme, need_id: int) -> Need:
    need = session.get(Need, need_id)
    if need is None or need.programme_id != programme.id:
        raise NotFound(f"需求 {need_id} 不存在 / programme {programme.id!r} has no need {need_id}", need=need_id)
    return need


# ------------------------------------------------------------------ ranking


def rank_needs(session: Session, programme: LoadedProgramme, host: PluginHost) -> list[RankedNeed]:
    """Every need of the programme, scored, ranked (1 = first), with state and answering projects.

    Three queries (needs, workflow states, links); a programme's needs number in the hundreds,
    so scoring happens in Python, where a plan type's scorer can run.
    """
    needs = list(session.scalars(select(Need).where(Need.programme_id == programme.id)))
    if not needs:
        return []
    max_people = max(n.people_affected for n in needs)
    states = {int(i.subject_id): i for i in session.scalars(select(WorkflowInstance).where(
        WorkflowInstance.programme_id == programme.id, WorkflowInstance.workflow == WORKFLOW,
        WorkflowInstance.subject_type == SUBJECT))}
    links = _projects_of(session, programme.id)
    definition = programme.workflows[WORKFLOW].definition if WORKFLOW in programme.workflows else None
    out: list[RankedNeed] = []
    for n in needs:
        inst = states.get(n.id)
        title = definition.state(inst.state).title if inst is not None and definition is not None \
            and inst.state in definition.states else None
        score, scored_by = score_need(host, programme, n, max_people)
        out.append(RankedNeed(n, round(score, 4), scored_by=scored_by,
                              state=inst.state if inst else None, state_title=title,
                              instance_id=inst.id if inst else None, instance_version=inst.version if inst else None,
                              projects=links.get(n.id, [])))
    out.sort(key=lambda r: (-r.score, -r.need.urgency, -r.need.people_affected, r.need.id))
    for i, r in enumerate(out, start=1):
        r.rank = i
    return out


def _projects_of(session: Session, programme_id: str) -> dict[int, list[tuple[int, str]]]:
    rows = session.execute(select(ProjectNeed.need_id, Project.id, Project.name)
                           .join(Project, Project.id == ProjectNeed.project_id)
                           .where(Project.programme_id == programme_id).order_by(Project.id))
    out: dict[int, list[tuple[int, str]]] = {}
    for need_id, pid, name in rows:
        out.setdefault(need_id, []).append((pid, name))
    return out


def filter_needs(ranked: Iterable[RankedNeed], *, beneficiary_group: str | None = None, category: str | None = None,
                 source: str | None = None, node: str | None = None, state: str | None = None,
                 project_id: int | None = None, min_urgency: int | None = None, sort: str = "score",
                 descending: bool = True) -> list[RankedNeed]:
    """Filter and sort an already ranked list (ranks stay the programme-wide ones)."""
    if sort not in SORT_KEYS:
        raise InvalidInput(f"不能按 {sort!r} 排序 / cannot sort by {sort!r}; use one of: {', '.join(SORT_KEYS)}",
                           field="sort")
    rows = [r for r in ranked
            if (beneficiary_group is None or r.need.beneficiary_group == beneficiary_group)
            and (category is None or r.need.category == category)
            and (source is None or r.need.source == source)
            and (node is None or r.need.node == node)
            and (state is None or r.state == state)
            and (project_id is None or any(pid == project_id for pid, _ in r.projects))
            and (min_urgency is None or r.need.urgency >= min_urgency)]
    rows.sort(key=lambda r: r.rank)
    if sort == "score":
        if not descending:
            rows.reverse()
    else:  # stable: equal values keep their rank order
        rows.sort(key=lambda r: getattr(r.need, sort), reverse=descending)
    return rows


def ranked_need(session: Session, programme: LoadedProgramme, host: PluginHost, need_id: int) -> RankedNeed:
    get_need(session, programme, need_id)
    return next(r for r in rank_needs(session, programme, host) if r.need.id == need_id)


# ------------------------------------------------------------------ projects answering needs


def link_project(session: Session, programme: LoadedProgramme, need_id: int, project_id: int, *,
                 actor: str) -> ProjectNeed:
    """Say that a project answers a need (idempotent: linking twice keeps one link)."""
    gate.require_open(session, programme, "needs")
    get_need(session, programme, need_id)
    project = session.get(Project, project_id)
    if project is None or project.programme_id != programme.id:
        raise InvalidInput(f"项目 {project_id} 不存在 / programme {programme.id!r} has no project {project_id}",
                           field="project_id")
    existing = session.scalars(select(ProjectNeed).where(
        ProjectNeed.need_id == need_id, ProjectNeed.project_id == project_id)).one_or_none()
    if existing is not None:
        return existing
    link = ProjectNeed(need_id=need_id, project_id=project_id)
    session.add(link)
    session.flush()
    return link


def unlink_project(session: Session, programme: LoadedProgramme, need_id: int, project_id: int, *,
                   actor: str) -> None:
    """Remove a link. A planned or met need keeps at least one project: drop or reopen it first."""
    gate.require_open(session, programme, "needs")
    get_need(session, programme, need_id)
    if not session.scalar(select(exists().where(ProjectNeed.need_id == need_id, ProjectNeed.project_id == project_id))):
        raise NotFound(f"项目 {project_id} 未对应需求 {need_id} / project {project_id} is not linked to need {need_id}")
    inst = need_instance(session, programme, need_id)
    others = session.scalar(select(exists().where(ProjectNeed.need_id == need_id, ProjectNeed.project_id != project_id)))
    if inst.state in ("planned", "met") and not others:
        raise Conflict(f"需求 {need_id} 已{'立项' if inst.state == 'planned' else '满足'}，须保留至少一个对应项目 / need "
                       f"{need_id} is {inst.state}: it must keep at least one project (drop or reopen it first)",
                       state=inst.state)
    session.execute(delete(ProjectNeed).where(ProjectNeed.need_id == need_id, ProjectNeed.project_id == project_id))


# ------------------------------------------------------------------ workflow


def need_instance(session: Session, programme: LoadedProgramme, need_id: int) -> WorkflowInstance:
    inst = session.scalars(select(WorkflowInstance).where(
        WorkflowInstance.programme_id == programme.id, WorkflowInstance.workflow == WORKFLOW,
        WorkflowInstance.subject_type == SUBJECT, WorkflowInstance.subject_id == str(need_id))).one_or_none()
    if inst is None:
        raise NotFound(f"需求 {need_id} 没有工作流实例 / need {need_id} has no {WORKFLOW!r} workflow instance",
                       need=need_id)
    return inst


def fire_need(session: Session, programme: LoadedProgramme, host: PluginHost, need_id: int, trigger: str, *,
              actor: str, roles: frozenset[str], expected_version: int | None = None,
              payload: dict[str, Any] | None = None) -> FireResult:
    """Fire a trigger of the need's workflow. On ``ok=False`` the caller commits (to keep the
    logged refusal) and raises :class:`engine.errors.GuardsFailed`."""
    get_need(session, programme, need_id)
    inst = need_instance(session, programme, need_id)
    return WorkflowService(host).fire(session, programme, inst, trigger, actor=actor, roles=roles,
                                      expected_version=expected_version, payload=payload)
