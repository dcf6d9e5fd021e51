"""Moving records between organisations: the volunteer's consent, recorded; importing a signed bundle.

志愿服务条例 第二十条: nothing about a volunteer is passed on without their consent. So:

* a volunteer exporting or importing their own records (logged in) consents by doing it — recorded as
  ``method=act`` (for that transfer only: it authorises nothing later);
* a coordinator may export or import on a volunteer's behalf only with a consent on record for that
  direction: given by the volunteer themselves on their records page (``method=self``), or recorded by
  staff with what it rests on (``method=recorded``: a signed form, a message …); it can be withdrawn.

An import (WAVE2.md): the bundle must be intact and signed by a key on the receiving organisation's
trust list; its holder (name and masked ID number) must be the volunteer it is bound to; records are
kept with their provenance (``captured=transferred``, ``source_org``, ``source_ref``) and a record already
held anywhere in the organisation — or that originated here — is skipped, so nothing counts twice.
Transferred records are exempt from the programme-period date check (they were done elsewhere).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.certificates import bundles
from engine.certificates.models import BundleImport, TransferConsent
from engine.errors import Forbidden, InvalidInput, NotFound
from engine.orgs import trust
from engine.orgs.models import Organisation
from engine.orgs.service import organisation_of, programme_ids
from engine.people import mask_id_number
from engine.plugins import PluginHost
from engine.programme import LoadedProgramme
from engine.stages.records.models import ServiceRecord
from engine.stages.records.service import _counted
from engine.stages.recruitment.models import Volunteer
from engine.store.base import dialect_insert, utcnow

DIRECTIONS = ("import", "export")


# ------------------------------------------------------------------ consent
def give_consent(session: Session, org: Organisation, volunteer_id: int, direction: str, *, method: str, actor: str,
                 counterpart: str | None = None, evidence: str | None = None) -> TransferConsent:
    if direction not in DIRECTIONS:
        raise InvalidInput(f"方向须为 import 或 export / direction must be import or export, not {direction!r}",
                           field="direction")
    if method == "recorded" and not (evidence or "").strip():
        raise InvalidInput("代为登记同意时须写明依据（如签字的同意书）/ recording consent on a volunteer's behalf needs "
                           "what it rests on (e.g. a signed consent form)", field="evidence")
    if session.get(Volunteer, volunteer_id) is None:
        raise NotFound(f"没有志愿者 {volunteer_id} / no volunteer {volunteer_id}", field="volunteer_id")
    row = TransferConsent(volunteer_id=volunteer_id, organisation_id=org.id, direction=direction,
                          counterpart=counterpart, method=method, evidence=evidence, recorded_by=actor,
                          given_at=utcnow())
    session.add(row)
    session.flush()
    return row


def current_consent(session: Session, org: Organisation, volunteer_id: int, direction: str) -> TransferConsent | None:
    return session.scalar(select(TransferConsent).where(
        TransferConsent.organisation_id == org.id, TransferConsent.volunteer_id == volunteer_id,
        TransferConsent.direction == direction, TransferConsent.withdrawn_at.is_(None),
        TransferConsent.method != "act").order_by(TransferConsent.id.desc()))


def withdraw_consent(session: Session, org: Organisation, volunteer_id: int, direction: str) -> int:
    rows = list(session.scalars(select(TransferConsent).where(
        TransferConsent.organisation_id == org.id, TransferConsent.volunteer_id == volunteer_id,
        TransferConsent.direction == direction, TransferConsent.withdrawn_at.is_(None),
        TransferConsent.method != "act")))
    for row in rows:
        row.withdrawn_at = utcnow()
    return len(rows)


def consents(session: Session, org: Organisation, volunteer_id: int) -> list[TransferConsent]:
    return list(session.scalars(select(TransferConsent).where(
        TransferConsent.organisation_id == org.id, TransferConsent.volunteer_id == volunteer_id)
        .order_by(TransferConsent.id.desc())))


def consent_for(session: Session, org: Organisation, vol: Volunteer, direction: str, *, by_self: bool, actor: str,
                counterpart: str | None) -> TransferConsent:
    """The consent this transfer rests on: recorded now when the volunteer acts themselves, else the
    one on record (403 naming what is missing)."""
    if by_self:
        return give_consent(session, org, vol.id, direction, method="act", actor=actor, counterpart=counterpart)
    found = current_consent(session, org, vol.id, direction)
    if found is None:
        what = "导入" if direction == "import" else "导出"
        raise Forbidden(f"志愿者 {vol.name} 尚未同意{what}其服务记录：请其本人操作，或先登记其同意 / {vol.name} has not "
                        f"consented to this {direction} of their records: let them do it themselves, or record their "
                        "consent first (POST …/transfer-consents)")
    return found


# ------------------------------------------------------------------ export
def export_bundle(session: Session, programme: LoadedProgramme, volunteer_id: int, *, by_self: bool,
                  actor: str) -> dict[str, Any]:
    org = organisation_of(session, programme)
    vol = session.get(Volunteer, volunteer_id)
    if vol is None:
        raise NotFound(f"没有志愿者 {volunteer_id} / no volunteer {volunteer_id}", field="volunteer_id")
    consent_for(session, org, vol, "export", by_self=by_self, actor=actor, counterpart=None)
    return bundles.make_bundle(session, programme, org, volunteer_id)


# ------------------------------------------------------------------ import
def _bound(vol: Volunteer, holder: bundles.Holder) -> bool:
    return vol.name.strip() == holder.name.strip() and mask_id_number(vol.id_number) == holder.id_number_masked


def import_bundle(session: Session, programme: LoadedProgramme, host: PluginHost, raw: Any, *, actor: str,
                  volunteer: Volunteer, by_self: bool) -> dict[str, Any]:
    """Import a signed bundle for ``volunteer`` into ``programme`` (see the module's rules)."""
    org = organisation_of(session, programme)
    checked = bundles.check(raw)
    if not checked.intact:
        raise InvalidInput("记录包未通过校验 / the bundle does not verify: " + "; ".join(checked.problems),
                           field="file", reasons=checked.problems)
    payload = checked.payload
    assert payload is not None and checked.key_id is not None
    known = trust.trusted_public_key(session, org, checked.key_id)
    if known is None:
        raise Forbidden(f"签发密钥 {checked.key_id}（{payload.issuer.name}）不在 {org.name} 的信任列表中：请管理员核实后加入 / "
                        f"the signing key {checked.key_id} ({payload.issuer.name}) is not on {org.name}'s trust list: "
                        "an operator adds it after checking it with the issuer (`volunteer org trust`)",
                        key_id=checked.key_id)
    if known[0] != checked.public_key:
        raise InvalidInput(f"密钥 {checked.key_id} 的公钥与信任列表不符 / the public key of {checked.key_id} differs from "
                           "the trusted one", field="file")
    if not _bound(volunteer, payload.holder):
        raise Forbidden(f"记录包属于 {payload.holder.name}（{payload.holder.id_number_masked}），不是 {volunteer.name} / "
                        f"the bundle belongs to {payload.holder.name} ({payload.holder.id_number_masked}), not to "
                        f"{volunteer.name}")
    consent = consent_for(session, org, volunteer, "import", by_self=by_self, actor=actor,
                          counterpart=payload.issuer.name)
    own_programmes = programme_ids(session, org)
    held = {(o, r) for o, r in session.execute(select(ServiceRecord.source_org, ServiceRecord.source_ref).where(
        ServiceRecord.programme_id.in_(own_programmes), ServiceRecord.source_ref.is_not(None)))}
    now = utcnow()
    rows: list[dict[str, Any]] = []
    own = 0
    for r in payload.records:
        key = (r.origin_org, r.source_ref)
        if r.origin_org == org.name and r.source_ref.split("/", 1)[0] in own_programmes:
            own += 1
            continue
        if key in held:
            continue
        held.add(key)
        content = r.content if r.post is None else f"{r.post}：{r.content or ''}".rstrip("：")
        rows.append({
            "programme_id": programme.id, "volunteer_id": volunteer.id, "started_at": r.started_at,
            "ended_at": r.ended_at, "minutes": r.minutes, "category": r.category, "content": content,
            "rating": r.rating, "captured": "transferred", "verified_by": actor, "verified_at": now,
            "source_org": r.origin_org, "source_ref": r.source_ref, "source_project": r.project,
            "created_by": actor, "created_at": now})
    new_ids: list[int] = []
    if rows:
        stmt = dialect_insert(session, ServiceRecord).on_conflict_do_nothing(
            index_elements=["programme_id", "source_org", "source_ref"]).returning(ServiceRecord.id)
        for chunk in range(0, len(rows), 500):
            new_ids.extend(session.scalars(stmt.values(rows[chunk:chunk + 500])))
    new_ids.sort()
    records = list(session.scalars(select(ServiceRecord).where(ServiceRecord.id.in_(new_ids)).order_by(ServiceRecord.id)))
    _counted(session, programme, host, records, actor)
    skipped = len(payload.records) - len(new_ids)
    session.add(BundleImport(
        organisation_id=org.id, programme_id=programme.id, volunteer_id=volunteer.id, bundle_id=payload.bundle_id,
        digest=checked.digest or "", issuer_name=payload.issuer.name, issuer_slug=payload.issuer.slug,
        key_id=checked.key_id, consent_id=consent.id, imported=len(new_ids), skipped=skipped, imported_by=actor,
        imported_at=now))
    session.flush()
    return {"volunteer_id": volunteer.id, "source_org": payload.issuer.name, "key_id": checked.key_id,
            "trusted_as": known[1], "imported": len(new_ids), "skipped_duplicates": skipped,
            "own_records_skipped": own, "record_ids": new_ids, "minutes": sum(r.minutes for r in records),
            "consent_id": consent.id}
