import hashlib
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from kloss_site.backup import DatabaseTarget, table_counts
from network.language.collation import sqlite_connect
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
        conn = sqlite_connect(target.name)  # as the site opens it: with the swedish collation
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


def test_restore_refuses_a_database_that_is_not_empty(some_data, fresh_database, tmp_path):
    call_command("backup", to=str(tmp_path / "backups"))
    folder = next((tmp_path / "backups").iterdir())
    restored_media = tmp_path / "restored-media"
    call_command("restore", str(folder), database_url=_url(fresh_database), media_root=str(restored_media))
    # Restoring again, over what is there now, is refused: nothing is mixed, nothing changes.
    (restored_media / "meetings" / "protokoll.pdf").unlink()
    with pytest.raises(CommandError, match=r"the database \S+ is not empty \(\d+ tables\).*--force"):
        call_command("restore", str(folder), database_url=_url(fresh_database), media_root=str(restored_media))
    assert not (restored_media / "meetings" / "protokoll.pdf").exists()


def test_restore_refuses_a_media_folder_that_is_not_empty(some_data, fresh_database, tmp_path):
    call_command("backup", to=str(tmp_path / "backups"))
    folder = next((tmp_path / "backups").iterdir())
    media = tmp_path / "live-media"
    media.mkdir()
    (media / "uploaded-since.pdf").write_bytes(b"%PDF newer")
    with pytest.raises(CommandError, match=r"the media folder \S+ is not empty \(1 entries\).*--force"):
        call_command("restore", str(folder), database_url=_url(fresh_database), media_root=str(media))
    assert _tables_in(fresh_database) == set()  # refused before anything was restored
    assert (media / "uploaded-since.pdf").exists()


def test_restore_command_exits_non_zero_with_one_line(some_data, fresh_database, tmp_path):
    call_command("backup", to=str(tmp_path / "backups"))
    folder = next((tmp_path / "backups").iterdir())
    media = tmp_path / "live-media"
    (media / "x").mkdir(parents=True)
    result = subprocess.run(
        [sys.executable, "manage.py", "restore", str(folder), "--database-url", _url(fresh_database)]
        + ["--media-root", str(media)],
        cwd=Path(__file__).resolve().parents[2],
        # Production settings, as on the server: a fresh shell (`make test`) has no SECRET_KEY of its own.
        env={**os.environ, "SITE_URL": "https://intranet.kloss-net.se", "SECRET_KEY": "test-only-" + "x" * 50},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0
    assert "is not empty" in result.stderr and "--force" in result.stderr


def test_restore_with_force_empties_both_first_so_the_result_is_the_backup(some_data, fresh_database, tmp_path):
    call_command("backup", to=str(tmp_path / "backups"))
    folder = next((tmp_path / "backups").iterdir())
    expected = table_counts()
    media = tmp_path / "live-media"
    call_command("restore", str(folder), database_url=_url(fresh_database), media_root=str(media))
    # Life goes on after the backup: a new table's worth of rows and a new file.
    _execute(fresh_database, 'CREATE TABLE "made_after_the_backup" (id integer)')
    _execute(fresh_database, 'DELETE FROM "network_member"')
    (media / "uploaded-since.pdf").write_bytes(b"%PDF newer")

    call_command("restore", str(folder), database_url=_url(fresh_database), media_root=str(media), force=True)

    assert _counts_in(fresh_database, expected) == expected
    tables = _tables_in(fresh_database)
    assert "made_after_the_backup" not in tables and set(expected) <= tables
    assert sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file()) == [
        "meetings/protokoll.pdf"
    ]


def _execute(target: DatabaseTarget, sql: str) -> None:
    if target.engine == "sqlite":
        conn = sqlite_connect(target.name)  # as the site opens it: with the swedish collation
        with conn:
            conn.execute(sql)
        conn.close()
        return
    import psycopg

    with psycopg.connect(
        host=target.host or "127.0.0.1", port=target.port or 5432, user=target.user, dbname=target.name, autocommit=True
    ) as conn:
        conn.execute(sql)


def _tables_in(target: DatabaseTarget) -> set[str]:
    if target.engine == "sqlite":
        conn = sqlite_connect(target.name)  # as the site opens it: with the swedish collation
        try:
            rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        finally:
            conn.close()
        return {name for (name,) in rows if not name.startswith("sqlite_")}
    import psycopg

    with psycopg.connect(
        host=target.host or "127.0.0.1", port=target.port or 5432, user=target.user, dbname=target.name
    ) as conn:
        rows = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
    return {name for (name,) in rows}
