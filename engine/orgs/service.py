"""Finding and attaching organisations; seal images; certificate numbers per issuer and year."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from engine.config.models import Organisation as OrgConfig
from engine.errors import InvalidInput, NotFound
from engine.orgs.models import CertificateCounter, Organisation
from engine.orgs.slugs import slug_for
from engine.programme import LoadedProgramme
from engine.store.base import dialect_insert, utcnow
from engine.store.models import ProgrammeRow

SEAL_MAX_BYTES = 512 * 1024
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def ensure_organisation(session: Session, cfg: OrgConfig) -> Organisation:
    """The organisation a programme's ``organisation:`` names (created on first sight). Its display
    name follows the newest programme file that names it."""
    slug = cfg.slug or slug_for(cfg.name)
    org = session.scalar(select(Organisation).where(Organisation.slug == slug))
    if org is None:
        session.execute(dialect_insert(session, Organisation).values(
            slug=slug, name=cfg.name, name_en=cfg.name_en, kind=cfg.kind, contact=cfg.contact,
            created_at=utcnow()).on_conflict_do_nothing(index_elements=["slug"]))
        org = session.scalar(select(Organisation).where(Organisation.slug == slug))
        assert org is not None
    else:
        org.name, org.kind, org.contact = cfg.name, cfg.kind, cfg.contact
        if cfg.name_en:
            org.name_en = cfg.name_en
    return org


def attach_programme(session: Session, programme: LoadedProgramme) -> Organisation:
    """Point the stored programme at its organisation (called when a programme is loaded)."""
    org = ensure_organisation(session, programme.config.organisation)
    session.flush()
    session.execute(update(ProgrammeRow).where(ProgrammeRow.id == programme.id).values(organisation_id=org.id))
    return org


def organisation_of(session: Session, programme: LoadedProgramme) -> Organisation:
    """The programme's organisation (attached now if it was stored before organisations existed)."""
    org_id = session.scalar(select(ProgrammeRow.organisation_id).where(ProgrammeRow.id == programme.id))
    org = session.get(Organisation, org_id) if org_id is not None else None
    return org if org is not None else attach_programme(session, programme)


def by_slug(session: Session, slug: str) -> Organisation:
    org = session.scalar(select(Organisation).where(Organisation.slug == slug))
    if org is None:
        raise NotFound(f"没有组织 {slug} / no organisation {slug!r}", field="slug")
    return org


def programme_ids(session: Session, org: Organisation) -> list[str]:
    return list(session.scalars(select(ProgrammeRow.id).where(ProgrammeRow.organisation_id == org.id)))


def set_seal(session: Session, org: Organisation, image: bytes) -> None:
    """The seal drawn on certificates: a PNG (transparent background prints best), 512 KB at most."""
    if not image.startswith(PNG_MAGIC):
        raise InvalidInput("印章图片须为 PNG / the seal image must be a PNG file", field="seal")
    if len(image) > SEAL_MAX_BYTES:
        raise InvalidInput("印章图片过大（上限 512 KB）/ the seal image is too large (512 KB at most)", field="seal")
    org.seal_image = image


def next_number(session: Session, org: Organisation, year: int) -> tuple[int, str]:
    """The next certificate sequence of ``org`` in ``year`` and its number ``<slug>-<year>-<seq>``.

    The counter row is incremented in the caller's transaction (row-locked on PostgreSQL by the
    UPDATE, serialised by SQLite's single writer), so two issuers never get the same number; the
    certificates table's unique (organisation, year, seq) backs that up.
    """
    session.execute(dialect_insert(session, CertificateCounter).values(organisation_id=org.id, year=year, last=0)
                    .on_conflict_do_nothing(index_elements=["organisation_id", "year"]))
    seq = session.execute(update(CertificateCounter)
                          .where(CertificateCounter.organisation_id == org.id, CertificateCounter.year == year)
                          .values(last=CertificateCounter.last + 1).returning(CertificateCounter.last)).scalar_one()
    return seq, f"{org.slug}-{year}-{seq:05d}"
