"""ID numbers and phones are encrypted at rest (engine/crypto): nothing readable in the database,
found by the keyed blind index, existing rows migrated, keys rotated without losing a record."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import select, text

from engine.crypto import EncryptedString, blind_index, get_keyring, new_keyring, parse_keys, reset_keyring
from engine.crypto.rotate import encrypted_columns, reencrypt
from engine.stages.recruitment.models import Enrolment, Volunteer, id_number_index
from engine.store.base import Base
from engine.store.db import alembic_config, make_engine
from engine.testing import database_url_for_tests

ID_A, PHONE_A = "440803199003151230", "13800138000"
ID_B, PHONE_B = "11010519491231002X", "13912345678"
ID_MINOR, GUARDIAN_PHONE = "110105201203150011", "13655554444"  # a child of 14 and the guardian's phone


def _register(api: Any, eng: Any) -> None:
    from tests_support import make_users

    make_users(eng, "demo-full")
    coord = api.as_("coord1")
    for name, idn, phone in (("李娜", ID_A, PHONE_A), ("王伟", ID_B, PHONE_B)):
        r = coord.post("/programmes/demo-full/volunteers", json={"name": name, "id_number": idn, "phone": phone})
        assert r.status_code == 201, r.text
    r = coord.post("/programmes/demo-full/volunteers", json={
        "name": "小明", "id_number": ID_MINOR, "phone": "13700000001", "guardian_consent": True, "guardian_name": "王芳",
        "guardian_relationship": "母亲", "guardian_phone": GUARDIAN_PHONE})
    assert r.status_code == 201, r.text


def test_the_database_holds_no_plaintext_id_number_or_phone(api: Any, eng: Any, demo: Any,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    _register(api, eng)
    # a text message to the stored phone: the outbox keeps the address it was delivered to
    from engine.notify.delivery import deliver_due
    from engine.notify.models import Notification
    from engine.notify.outbox import enqueue

    monkeypatch.setenv("VOLUNTEER_NOTIFY_SENDERS", "console,console-sms")
    with eng.session() as s:
        vid = s.scalars(select(Volunteer.id).where(Volunteer.id_number_index == id_number_index(ID_A))).one()
        assert enqueue(s, programme_id=demo.id, template="engine.test", data={}, key="t", to_volunteer_id=vid,
                       channels=["sms"], host=eng.host)
        s.commit()
    deliver_due(eng)
    with eng.session() as s:
        assert s.scalars(select(Notification.address)).all() == [PHONE_A]  # sent, and read back
    with eng.db.engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM volunteers")).all()
        notes = conn.execute(text("SELECT * FROM notifications")).all()
        enrolments = conn.execute(text("SELECT * FROM enrolments")).all()
        dump = " ".join(str(v) for row in [*rows, *notes, *enrolments] for v in row)
    assert len(rows) == 3
    for secret in (ID_A, PHONE_A, ID_B, PHONE_B, ID_A[6:14], PHONE_A[3:], ID_MINOR, GUARDIAN_PHONE):
        assert secret not in dump, secret
    if eng.db.engine.dialect.name == "sqlite":  # the file itself, and its write-ahead log
        path = Path(eng.db.engine.url.database)
        raw = b"".join(p.read_bytes() for p in (path, path.with_name(path.name + "-wal")) if p.exists())
        for secret in (ID_A, PHONE_A, ID_B, PHONE_B, GUARDIAN_PHONE):
            assert secret.encode() not in raw, secret
    # …and the application still reads them, and finds a person by the blind index
    with eng.session() as s:
        v = s.scalars(select(Volunteer).where(Volunteer.id_number_index == id_number_index(ID_B))).one()
        assert (v.id_number, v.phone) == (ID_B, PHONE_B)
        minor = s.scalars(select(Volunteer).where(Volunteer.id_number_index == id_number_index(ID_MINOR))).one()
        assert s.scalars(select(Enrolment.guardian_phone).where(Enrolment.volunteer_id == minor.id)).one() == GUARDIAN_PHONE


def test_an_encrypted_column_cannot_be_compared_by_mistake() -> None:
    with pytest.raises(TypeError, match="blind index"):
        _ = Volunteer.id_number == ID_A
    assert {(t, c) for t, c, _ in encrypted_columns(Base.metadata)} >= {("volunteers", "id_number"),
                                                                        ("volunteers", "phone")}
    assert isinstance(Volunteer.__table__.c.phone.type, EncryptedString)


def test_blind_index_is_keyed_and_separates_purposes() -> None:
    assert blind_index(ID_B.lower(), "id_number") == blind_index(f" {ID_B} ", "id_number")
    assert blind_index(ID_B, "id_number") != blind_index(ID_B, "phone")
    other = new_keyring()
    old = os.environ["VOLUNTEER_DATA_KEYS"]
    try:
        os.environ["VOLUNTEER_DATA_KEYS"] = other.text()
        reset_keyring()
        elsewhere = blind_index(ID_B, "id_number")
    finally:
        os.environ["VOLUNTEER_DATA_KEYS"] = old
        reset_keyring()
    assert elsewhere != blind_index(ID_B, "id_number")  # without the key, no index can be computed


def test_migration_encrypts_existing_rows(tmp_path: Path) -> None:
    url, cleanup = database_url_for_tests(tmp_path)
    db = make_engine(url)
    try:
        cfg = alembic_config([])
        with db.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0006_ledger_appeals")
            conn.execute(text(
                "INSERT INTO volunteers (name, gender, birth_date, id_number, phone, skills, languages, qualifications,"
                " created_at) VALUES ('张三', 'male', :b, :i, :p, '[]', '[]', '[]', :c)"),
                {"b": dt.date(1990, 3, 15), "i": ID_A, "p": PHONE_A, "c": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)})
        with db.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0007_pii_encryption")
        with db.connect() as conn:
            idn, phone, index = conn.execute(text("SELECT id_number, phone, id_number_index FROM volunteers")).one()
        assert ID_A not in idn and PHONE_A not in phone
        ring = get_keyring()
        assert (ring.decrypt(idn), ring.decrypt(phone), index) == (ID_A, PHONE_A, id_number_index(ID_A))
    finally:
        db.dispose()
        cleanup()


def test_rotation_reencrypts_every_row_and_the_old_key_can_go(api: Any, eng: Any, demo: Any) -> None:
    _register(api, eng)
    old_ring = get_keyring()
    with eng.db.engine.connect() as conn:
        before = conn.execute(text("SELECT id, id_number FROM volunteers ORDER BY id")).all()
    saved = os.environ["VOLUNTEER_DATA_KEYS"]
    fresh = new_keyring().keys[0]
    both = parse_keys(old_ring.text().replace("key ", f"key {fresh}\nkey ", 1), "test")
    try:
        os.environ["VOLUNTEER_DATA_KEYS"] = both.text()
        reset_keyring()
        counts = reencrypt(eng.db.engine, Base.metadata)
        assert counts["volunteers.id_number"] == 3 and counts["volunteers.phone"] == 3
        assert counts["enrolments.guardian_phone"] == 1
        only_new = parse_keys(both.text().split(f"key {old_ring.keys[0]}")[0], "test")
        assert only_new.keys == (fresh,)
        os.environ["VOLUNTEER_DATA_KEYS"] = only_new.text()
        reset_keyring()
        with eng.db.engine.connect() as conn:
            after = conn.execute(text("SELECT id, id_number FROM volunteers ORDER BY id")).all()
        assert [a[1] for a in after] != [b[1] for b in before]
        with eng.session() as s:
            assert sorted(v.id_number for v in s.scalars(select(Volunteer))) == sorted([ID_A, ID_B, ID_MINOR])
            assert s.scalars(select(Enrolment.guardian_phone).where(Enrolment.guardian_phone.is_not(None))).all() == [
                GUARDIAN_PHONE]
    finally:
        os.environ["VOLUNTEER_DATA_KEYS"] = saved
        reset_keyring()
