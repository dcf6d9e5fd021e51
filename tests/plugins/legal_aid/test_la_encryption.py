"""Legal-aid case files at rest (issue 9): parties' and declared interests' ID numbers are stored
encrypted, the conflict index holds only keyed digests and masked numbers, and the migration converts
rows written before it — conflict search by ID number keeps working throughout."""

from __future__ import annotations

from typing import Any

from alembic import command
from la_helpers import World, idno
from sqlalchemy import text

from engine.store.db import alembic_config

PARTY_ID = idno("19850612", "318")
DECLARED_ID = idno("19600101", "457")
TABLES = ("la_case_parties", "la_declarations", "la_conflict_keys")


def dump(world: World) -> str:
    with world.eng.db.engine.connect() as conn:
        rows = [row for t in TABLES for row in conn.execute(text(f"SELECT * FROM {t}")).all()]
    return " ".join(str(v) for row in rows for v in row)


def id_hits(world: World, case: dict[str, Any]) -> list[dict[str, Any]]:
    r = world.as_("intake1").post(world.url(f"/cases/{case['id']}/conflict-check"),
                                  json={"profile_id": world.profiles["lawyer1"]})
    assert r.status_code == 200, r.text
    return [h for h in r.json()["hits"] if h["match_rule"] == "id_number"]


def store_case_and_declaration(world: World) -> tuple[dict[str, Any], dict[str, Any]]:
    first = world.new_case(party_list=[{"role": "client", "kind": "person", "name": "张小明", "id_number": PARTY_ID},
                                       {"role": "adverse", "kind": "org", "name": "某某有限公司"}])
    r = world.as_("coord1").post(world.url(f"/volunteers/{world.profiles['lawyer1']}/declarations"), json={
        "kind": "relative", "name": "王大山", "id_number": DECLARED_ID, "relation": "父亲"})
    assert r.status_code == 201, r.text
    second = world.new_case(party_list=[{"role": "client", "kind": "person", "name": "刘桂兰"},
                                        {"role": "adverse", "kind": "person", "name": "甲", "id_number": PARTY_ID},
                                        {"role": "related", "kind": "person", "name": "乙", "id_number": DECLARED_ID}])
    return first, second


def test_no_id_number_in_clear_and_search_by_id_still_works(world: World) -> None:
    first, second = store_case_and_declaration(world)
    stored = dump(world)
    for secret in (PARTY_ID, DECLARED_ID, PARTY_ID[6:14] + PARTY_ID[14:]):
        assert secret not in stored
    hits = id_hits(world, second)
    assert {(h["other_case_id"], h["matched"]) for h in hits if h["other_case_id"]} == {
        (first["id"], PARTY_ID[0] + "*" * 16 + PARTY_ID[-1])}
    assert any(h["matched"] == DECLARED_ID[0] + "*" * 16 + DECLARED_ID[-1] for h in hits if not h["other_case_id"])
    # whoever may read the case file still reads the number itself
    parties = world.case(first["id"]).json()["parties"]
    assert PARTY_ID in {p["id_number"] for p in parties}


def test_migration_converts_rows_written_before_it(world: World) -> None:
    """Take the store back to la_0002 (plaintext numbers and keys, as every older database has them),
    then upgrade: the rows come out encrypted and the conflict search finds the same parties."""
    first, second = store_case_and_declaration(world)
    before = sorted((h["other_case_id"] or 0, h["matched"]) for h in id_hits(world, second))
    cfg = alembic_config(world.eng.host.migration_dirs())
    with world.eng.db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "la_0002_conflict_dob_firm")
        # the ID keys as la_0002 wrote them: the (already normalised) number as key and as source
        for table, ref in (("la_case_parties", "party"), ("la_declarations", "declaration")):
            for rid, number in conn.execute(text(f"SELECT id, id_number FROM {table} WHERE id_number IS NOT NULL")):
                conn.execute(text("UPDATE la_conflict_keys SET key = :n, source = :n "
                                  "WHERE key_kind = 'id' AND party_ref = :ref"), {"n": number, "ref": f"{ref}:{rid}"})
    assert PARTY_ID in dump(world) and DECLARED_ID in dump(world)
    with world.eng.db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "heads")
    assert PARTY_ID not in dump(world) and DECLARED_ID not in dump(world)
    assert sorted((h["other_case_id"] or 0, h["matched"]) for h in id_hits(world, second)) == before
    assert PARTY_ID in {p["id_number"] for p in world.case(first["id"]).json()["parties"]}
