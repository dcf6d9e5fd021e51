"""The certificate workflow: 申请 request → 受理 accept → (公示 public notice) → 开具 issue; refuse; revoke.

Rules and where they come from:

* 志愿服务条例 第十九条: the organisation issues the certificate **on the basis of its records,
  truthfully and free of charge** — the statement is computed from verified records in force, and
  nothing here has a fee. 民政部令第67号 (DOMAIN.md): **谁记录谁证明** — only the organisation that
  recorded the service certifies it. A request to another organisation, or for records that were
  transferred in from elsewhere, is refused naming who can issue.
* Numbers are unique per issuer and year (``<slug>-<year>-<seq>``), allocated at issue
  (:func:`engine.orgs.service.next_number`).
* An optional public-notice period (公示, ``notice_days`` on acceptance) for programmes or honours
  that need one: the certificate can be issued only after it ends.
* Revocation keeps the certificate and its number; verification then says "revoked".

Each step is a conditional write (``UPDATE … WHERE state IN …``): two coordinators pressing "issue"
at once give one certificate and one number, the other gets 409.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections import Counter
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from engine.certificates.models import Certificate
from engine.errors import InvalidInput, NotFound, WrongState
from engine.orgs.models import Organisation
from engine.orgs.service import next_number, organisation_of
from engine.people import mask_id_number
from engine.plugins import PluginHost
from engine.programme import LoadedProgramme
from engine.stages.design.models import Project
from engine.stages.records.models import ServiceRecord
from engine.stages.recruitment.models import Volunteer
from engine.store.base import utcnow
from engine.timeutil import local, today

STATE_TITLES = {"requested": "已申请 requested", "accepted": "已受理 accepted", "notice": "公示中 under public notice",
                "issued": "已开具 issued", "refused": "不予出具 refused", "revoked": "已撤销 revoked"}


def _in_scope(session: Session, programme: LoadedProgramme, volunteer_id: int, start: dt.date, end: dt.date,
              project_id: int | None) -> list[tuple[ServiceRecord, str | None]]:
    """Verified records in force of the volunteer in the programme whose local start day is in [start, end]."""
    zone = programme.config.timezone
    reversed_ids = select(ServiceRecord.reverses_id).where(ServiceRecord.reverses_id.is_not(None))
    stmt = (select(ServiceRecord, Project.name).outerjoin(Project, Project.id == ServiceRecord.project_id)
            .where(ServiceRecord.programme_id == programme.id, ServiceRecord.volunteer_id == volunteer_id,
                   ServiceRecord.verified_at.is_not(None), ServiceRecord.reverses_id.is_(None),
                   ServiceRecord.id.not_in(reversed_ids)).order_by(ServiceRecord.started_at))
    if project_id is not None:
        stmt = stmt.where(ServiceRecord.project_id == project_id)
    out: list[tuple[ServiceRecord, str | None]] = []
    for rec, project in session.execute(stmt).all():
        day = local(rec.started_at, zone).date()
        if start <= day <= end:
            out.append((rec, project))
    return out


def _split(rows: list[tuple[ServiceRecord, str | None]]) -> tuple[list[tuple[ServiceRecord, str | None]],
                                                                   Counter[str]]:
    """Records this organisation recorded, and minutes by organisation of those transferred in."""
    own = [(r, p) for r, p in rows if r.captured != "transferred"]
    elsewhere: Counter[str] = Counter()
    for r, _ in rows:
        if r.captured == "transferred":
            elsewhere[r.source_org or "?"] += r.minutes
    return own, elsewhere


def _log(cert: Certificate, state: str, actor: str, **extra: Any) -> list[Any]:
    return [*cert.history, {"state": state, "by": actor, "at": utcnow().isoformat(), **extra}]


def request(session: Session, programme: LoadedProgramme, *, volunteer_id: int, actor: str,
            period_start: dt.date | None = None, period_end: dt.date | None = None, project_id: int | None = None,
            purpose: str | None = None, issuer: str | None = None) -> Certificate:
    """申请: a request for the volunteer's service in a period (default: the programme's) or project."""
    org = organisation_of(session, programme)
    if issuer is not None and issuer != org.slug:
        other = session.scalar(select(Organisation.name).where(Organisation.slug == issuer)) or issuer
        raise InvalidInput(
            f"{other} 没有记录这些服务，不能出具证明；请向记录服务的 {org.name} 申请（谁记录谁证明）/ {other} did not record "
            f"this service and cannot certify it: ask {org.name}, which recorded it", field="issuer",
            can_issue=org.slug)
    vol = session.get(Volunteer, volunteer_id)
    if vol is None:
        raise NotFound(f"没有志愿者 {volunteer_id} / no volunteer {volunteer_id}", field="volunteer_id")
    period = programme.config.period
    start, end = period_start or period.start, period_end or period.end
    if end < start:
        raise InvalidInput(f"结束日期 {end} 早于开始日期 {start} / the period ends ({end}) before it starts ({start})",
                           field="period_end")
    if project_id is not None and session.scalar(select(Project.id).where(
            Project.id == project_id, Project.programme_id == programme.id)) is None:
        raise NotFound(f"没有项目 {project_id} / no project {project_id}", field="project_id")
    own, elsewhere = _split(_in_scope(session, programme, volunteer_id, start, end, project_id))
    if not own:
        if elsewhere:
            names = "、".join(sorted(elsewhere))
            raise InvalidInput(
                f"这段时间的服务由 {names} 记录，应由其出具证明（谁记录谁证明）/ the service in this period was recorded "
                f"by {', '.join(sorted(elsewhere))}: only they can certify it", field="period_start",
                can_issue=sorted(elsewhere))
        raise InvalidInput(f"{start} 至 {end} 没有经核实的服务记录 / no verified service recorded between {start} and "
                           f"{end}", field="period_start")
    cert = Certificate(organisation_id=org.id, programme_id=programme.id, volunteer_id=volunteer_id,
                       project_id=project_id, period_start=start, period_end=end, purpose=purpose,
                       state="requested", requested_by=actor, requested_at=utcnow(), statement={}, history=[])
    cert.history = _log(cert, "requested", actor)
    session.add(cert)
    session.flush()
    return cert


def get(session: Session, programme: LoadedProgramme, certificate_id: int) -> Certificate:
    cert = session.get(Certificate, certificate_id)
    if cert is None or cert.programme_id != programme.id:
        raise NotFound(f"没有证明 {certificate_id} / no certificate {certificate_id}", field="certificate_id")
    return cert


def listed(session: Session, programme: LoadedProgramme, *, volunteer_id: int | None = None,
           state: str | None = None, limit: int = 100, offset: int = 0) -> list[Certificate]:
    stmt = select(Certificate).where(Certificate.programme_id == programme.id)
    if volunteer_id is not None:
        stmt = stmt.where(Certificate.volunteer_id == volunteer_id)
    if state is not None:
        stmt = stmt.where(Certificate.state == state)
    return list(session.scalars(stmt.order_by(Certificate.id.desc()).limit(limit).offset(offset)))


def _move(session: Session, cert: Certificate, allowed: tuple[str, ...], to: str, actor: str, action: str,
          **values: Any) -> Certificate:
    if cert.state not in allowed:
        raise WrongState(f"证明 {cert.id} 处于「{STATE_TITLES[cert.state]}」，不能{action} / certificate {cert.id} is "
                         f"{cert.state}: cannot {action} it", state=cert.state)
    history = _log(cert, to, actor, **{k: v for k, v in values.items() if k in ("reason", "notice_until")})
    stored = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in values.items()}
    history[-1].update({k: stored[k] for k in ("reason", "notice_until") if k in stored})
    result: Any = session.execute(update(Certificate).where(Certificate.id == cert.id, Certificate.state == cert.state)
                                  .values(state=to, history=history, **values))
    won = result.rowcount
    if not won:
        session.refresh(cert)
        raise WrongState(f"证明 {cert.id} 刚被他人处理 / certificate {cert.id} was just changed by someone else",
                         state=cert.state)
    session.refresh(cert)
    return cert


def accept(session: Session, programme: LoadedProgramme, cert: Certificate, *, actor: str,
           notice_days: int = 0) -> Certificate:
    """受理; with ``notice_days`` > 0 the request is first publicly noticed until that many days from today."""
    if notice_days:
        until = today(programme.config.timezone) + dt.timedelta(days=notice_days)
        return _move(session, cert, ("requested",), "notice", actor, "受理 accept", notice_until=until)
    return _move(session, cert, ("requested",), "accepted", actor, "受理 accept")


def refuse(session: Session, cert: Certificate, *, actor: str, reason: str) -> Certificate:
    return _move(session, cert, ("requested", "accepted", "notice"), "refused", actor, "拒绝 refuse", reason=reason)


def issue(session: Session, programme: LoadedProgramme, host: PluginHost, cert: Certificate, *,
          actor: str) -> Certificate:
    """开具: freeze what the certificate states, give it its number and verification token."""
    zone = programme.config.timezone
    now = utcnow()
    if cert.state == "notice" and cert.notice_until is not None and today(zone) <= cert.notice_until:
        raise WrongState(f"公示期至 {cert.notice_until} 结束，之后才能开具 / the public notice runs until "
                         f"{cert.notice_until}: issue after it", state=cert.state, notice_until=str(cert.notice_until))
    org = session.get(Organisation, cert.organisation_id)
    vol = session.get(Volunteer, cert.volunteer_id)
    assert org is not None and vol is not None
    own, elsewhere = _split(_in_scope(session, programme, cert.volunteer_id, cert.period_start, cert.period_end,
                                      cert.project_id))
    if not own:
        raise InvalidInput("该期间已没有本组织记录的有效服务（记录已被更正？）/ no service recorded here remains in this "
                           "period (were the records corrected?)", field="period_start")
    year = local(now, zone).year
    seq, number = next_number(session, org, year)
    minutes = sum(r.minutes for r, _ in own)
    projects = sorted({p for _, p in own if p})
    days = [local(r.started_at, zone).date() for r, _ in own]
    statement = {
        "number": number, "holder": {"name": vol.name, "id_number_masked": mask_id_number(vol.id_number)},
        "issuer": {"name": org.name, "name_en": org.name_en, "slug": org.slug},
        "programme": {"id": programme.id, "name": programme.config.name},
        "period": {"start": cert.period_start.isoformat(), "end": cert.period_end.isoformat()},
        "served": {"first": min(days).isoformat(), "last": max(days).isoformat()},
        "minutes": minutes, "hours": round(minutes / 60, 1), "records": len(own), "projects": projects,
        "content": "；".join(projects) if projects else None, "purpose": cert.purpose,
        "issued_on": local(now, zone).date().isoformat(), "free_of_charge": True,
        "not_covered": [{"organisation": k, "minutes": v} for k, v in sorted(elsewhere.items())],
    }
    cert = _move(session, cert, ("accepted", "notice"), "issued", actor, "开具 issue", year=year, seq=seq,
                 number=number, token=secrets.token_urlsafe(24), statement=statement, issued_at=now)
    _notify(session, programme, host, cert, "certificate.issued")
    return cert


def revoke(session: Session, programme: LoadedProgramme, host: PluginHost, cert: Certificate, *, actor: str,
           reason: str) -> Certificate:
    cert = _move(session, cert, ("issued",), "revoked", actor, "撤销 revoke", reason=reason, revoked_at=utcnow())
    _notify(session, programme, host, cert, "certificate.revoked")
    return cert


def _notify(session: Session, programme: LoadedProgramme, host: PluginHost, cert: Certificate, template: str) -> None:
    from engine.notify.outbox import enqueue
    from engine.settings import get_settings

    link = f"{get_settings().public_url.rstrip('/')}/verify/{cert.token}"
    enqueue(session, programme_id=programme.id, template=template, key=f"{template}:{cert.id}",
            to_volunteer_id=cert.volunteer_id, host=host,
            data={"number": cert.number, "hours": cert.statement.get("hours"), "link": link,
                  "reason": cert.reason or "", "download": f"/p/{programme.id}/me/certificates"})
