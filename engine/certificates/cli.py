"""``volunteer verify FILE`` (offline check of a signed bundle) and ``volunteer org …`` (keys, trust, seal).

``verify`` needs no network and no server: it checks the signature with the public key in the file and
that the key id belongs to that key. Whether the issuer is trusted is answered from a trust list — an
organisation's in the local database (``--org SLUG``) or a JSON file of ``{"key_id", "public_key"}`` entries
(``--trust FILE``, e.g. what ``volunteer org keys SLUG`` printed at the issuer). Exit 0: intact (and
trusted, when a trust list was given); 1 otherwise.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from engine.errors import VolunteerEngineError

out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)
DbOpt = Annotated[str | None, typer.Option("--database-url", envvar="VOLUNTEER_DATABASE_URL",
                                           help="SQLAlchemy URL; default sqlite:///volunteer.db")]
org_app = typer.Typer(help="Organisations: signing keys, trust list, seal (docs/certificates.md)", no_args_is_help=True)


def _fail(message: str) -> None:
    err.print(f"[red]error[/red]: {message}", markup=True)
    raise typer.Exit(1)


def verify(file: Path, org: Annotated[str | None, typer.Option("--org", help="check trust against this organisation's "
                                                               "trust list in the local database")] = None,
           trust_file: Annotated[Path | None, typer.Option("--trust", help="JSON list of trusted "
                                                           "{key_id, public_key}")] = None,
           database_url: DbOpt = None) -> None:
    """Verify a signed records bundle offline: intact? signed by which key? trusted?"""
    from engine.certificates import bundles

    try:
        raw = bundles.read(file.read_bytes())
    except OSError as exc:
        _fail(f"无法读取 {file}: {exc} / cannot read {file}")
    except VolunteerEngineError as exc:
        _fail(exc.message)
    checked = bundles.check(raw)
    p = checked.payload
    if p is not None:
        minutes = sum(r.minutes for r in p.records)
        out.print(f"签发 issuer: {p.issuer.name} ({p.issuer.slug})  密钥 key: {checked.key_id}")
        out.print(f"持有人 holder: {p.holder.name} {p.holder.id_number_masked}  记录 records: {len(p.records)}  "
                  f"时长 minutes: {minutes}  签发于 issued: {p.issued_at.isoformat()}")
    if not checked.intact:
        for problem in checked.problems:
            err.print(f"[red]✗[/red] {problem}", markup=True)
        raise typer.Exit(1)
    out.print("✓ 签名有效，内容未被改动 / signature valid, content unchanged")
    if org is None and trust_file is None:
        out.print("（未检查信任：用 --org 或 --trust / trust not checked: give --org or --trust）")
        return
    trusted = _trusted_in_file(trust_file, checked) if trust_file else _trusted_in_db(org or "", checked, database_url)
    if not trusted:
        err.print(f"[red]✗[/red] 密钥 {checked.key_id} 不在信任列表中 / key {checked.key_id} is not on the trust list",
                  markup=True)
        raise typer.Exit(1)
    out.print(f"✓ 受信任的签发密钥 / trusted issuer key ({trusted})")


def _trusted_in_file(path: Path, checked: Any) -> str | None:
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        _fail(f"信任文件无法读取 {path}: {exc} / cannot read the trust file")
    for e in entries if isinstance(entries, list) else []:
        if isinstance(e, dict) and e.get("key_id") == checked.key_id and e.get("public_key") == checked.public_key:
            return str(path.name)
    return None


def _trusted_in_db(slug: str, checked: Any, database_url: str | None) -> str | None:
    from engine.core import VolunteerEngine
    from engine.orgs import trust
    from engine.orgs.service import by_slug

    eng = VolunteerEngine(database_url)
    try:
        with eng.session() as s:
            found = trust.trusted_public_key(s, by_slug(s, slug), checked.key_id)
    except VolunteerEngineError as exc:
        _fail(exc.message)
    return f"{slug}: {found[1]}" if found and found[0] == checked.public_key else None


def _with_org(slug: str, database_url: str | None, fn: Any) -> Any:
    from engine.core import VolunteerEngine
    from engine.orgs.service import by_slug

    eng = VolunteerEngine(database_url)
    try:
        with eng.session() as s:
            return fn(s, by_slug(s, slug))
    except VolunteerEngineError as exc:
        _fail(exc.message)


@org_app.command("list")
def org_list(database_url: DbOpt = None) -> None:
    """Organisations and the programmes that reference them."""
    from sqlalchemy import select

    from engine.core import VolunteerEngine
    from engine.orgs.models import Organisation
    from engine.store.models import ProgrammeRow

    eng = VolunteerEngine(database_url)
    with eng.session() as s:
        for o in s.scalars(select(Organisation).order_by(Organisation.slug)):
            progs = ", ".join(s.scalars(select(ProgrammeRow.id).where(ProgrammeRow.organisation_id == o.id)))
            out.print(f"{o.slug}\t{o.name}\t{progs}")


@org_app.command("keys")
def org_keys(slug: str, database_url: DbOpt = None) -> None:
    """Print the organisation's public keys as JSON (send this to receivers for their trust list)."""
    from engine.orgs import keys

    def show(s: Any, o: Any) -> list[dict[str, Any]]:
        keys.active_key(s, o)
        return [{"key_id": k.key_id, "public_key": k.public_key, "issuer_name": o.name,
                 "retired": k.retired_at is not None} for k in keys.all_keys(s, o)]

    out.print(json.dumps(_with_org(slug, database_url, show), ensure_ascii=False, indent=1))


@org_app.command("rotate-key")
def org_rotate(slug: str, database_url: DbOpt = None) -> None:
    """Make a new signing key; retire (and erase the private half of) the old one. Old bundles still verify."""
    from engine.orgs import keys

    new, retired = _with_org(slug, database_url, lambda s, o: keys.rotate(s, o))
    out.print(f"active: {new.key_id}; retired: {', '.join(retired) or '-'}")


@org_app.command("trust")
def org_trust(slug: str, public_key: Annotated[str, typer.Option(help="Base64 Ed25519 public key")],
              issuer: Annotated[str, typer.Option(help="the issuing organisation's name")],
              key_id: Annotated[str | None, typer.Option(help="must match the key, if given")] = None,
              database_url: DbOpt = None) -> None:
    """Add an issuer key to the organisation's trust list (compare it with the issuer first)."""
    from engine.orgs import trust

    row = _with_org(slug, database_url, lambda s, o: trust.add(s, o, public_key=public_key, issuer_name=issuer,
                                                               actor="cli", key_id=key_id))
    out.print(f"trusted: {row.key_id} ({issuer})")


@org_app.command("untrust")
def org_untrust(slug: str, key_id: str, database_url: DbOpt = None) -> None:
    from engine.orgs import trust

    _with_org(slug, database_url, lambda s, o: trust.remove(s, o, key_id))
    out.print(f"removed: {key_id}")


@org_app.command("seal")
def org_seal(slug: str, image: Path, database_url: DbOpt = None) -> None:
    """Set the seal image (PNG, 512 KB at most) drawn on certificates."""
    from engine.orgs.service import set_seal

    data = image.read_bytes()
    _with_org(slug, database_url, lambda s, o: set_seal(s, o, data))
    out.print(f"seal set: {len(data)} bytes")


def register(app: typer.Typer) -> None:
    app.command("verify")(verify)
    app.add_typer(org_app, name="org")
