import hashlib
import sqlite3
import uuid
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from kloss_site.backup import DatabaseTarget, table_counts
from network.tests.factories import ApplicantFactory, MemberFactory


@pytest.fixture
def some_data(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "meetings").mkdir(parents=True)
    (settings.MEDIA_ROOT / "meetings" / "protokoll.pdf").write_bytes(b"%PDF-1.7 minutes of the meeting")
    MemberFactory.create_batch(3)
    ApplicantFactory()
    return settings.MEDIA_ROOT


def _counts_in(target: DatabaseTarget, tables) -> dict[str, int]:
    if target.engine == "sqlite":
        conn = sqlite3.connect(target.name)
        try:
            return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
        finally:
            conn.close()
    import psycopg

    with psycopg.connect(
        host=target.host or "127.0.0.1", port=target.port or 5432, user=target.user, dbname=target.name
    ) as conn:
        return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


@pytest.fixture
def fresh_database(tmp_path):
    """An empty database of the same engine as the test database, dropped afterwards."""
    source = DatabaseTarget.from_settings_dict(connection.settings_dict)
    if source.engine == "sqlite":
        yield DatabaseTarget(engine="sqlite", name=str(tmp_path / "restored.sqlite3"))
        return
    import psycopg

    name = f"kloss_restore_{uuid.uuid4().hex[:10]}"
    admin = {"host": source.host or "127.0.0.1", "port": source.port or 5432, "user": source.user, "dbname": "postgres"}
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield DatabaseTarget(engine="postgresql", name=name, host=source.host, port=source.port, user=source.user)
    finally:
        with psycopg.connect(**admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_restores_into_a_fresh_database_with_every_row_and_file(some_data, fresh_database, tmp_path):
    call_command("backup", to=str(tmp_path / "backups"))
    folder = next((tmp_path / "backups").iterdir())
    expected = table_counts()
    assert expected["network_member"] == 4

    restored_media = tmp_path / "restored-media"
    call_command("restore", str(folder), database_url=_url(fresh_database), media_root=str(restored_media))

    assert _counts_in(fresh_database, expected) == expected
    restored = restored_media / "meetings" / "protokoll.pdf"
    assert restored.read_bytes() == b"%PDF-1.7 minutes of the meeting"
    original = hashlib.sha256((some_data / "meetings" / "protokoll.pdf").read_bytes()).hexdigest()
    assert hashlib.sha256(restored.read_bytes()).hexdigest() == original


def test_restore_of_a_folder_that_is_no_backup_fails_with_a_reason(tmp_path, transactional_db):
    with pytest.raises(CommandError, match="manifest.json is missing"):
        call_command("restore", str(tmp_path), database_url="sqlite:///" + str(tmp_path / "x.sqlite3"))


def _url(target: DatabaseTarget) -> str:
    if target.engine == "sqlite":
        return f"sqlite:///{target.name}"
    host = target.host or "127.0.0.1"
    port = f":{target.port}" if target.port else ""
    return f"postgres://{target.user}@{host}{port}/{target.name}"


def test_backup_folder_has_a_manifest(some_data, tmp_path):
    call_command("backup", to=str(tmp_path))
    folder = next(Path(tmp_path).glob("kloss-backup-*"))
    assert (folder / "manifest.json").exists()
    assert (folder / "media.tar.gz").exists()
