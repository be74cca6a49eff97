"""Backups of everything that must be kept: the database and the uploaded files.

A backup is a folder:
    manifest.json   when, which database engine, row counts per table, every file with its sha256
    database.dump   PostgreSQL: `pg_dump --format=custom`     (restore: pg_restore)
    database.sqlite3  SQLite: a consistent copy made with SQLite's online backup API
    media.tar.gz    MEDIA_ROOT
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection

from network.language.collation import sqlite_connect


class BackupError(Exception):
    """A backup or restore could not be made; the message says why in one line."""


@dataclass
class DatabaseTarget:
    engine: str  # "postgresql" or "sqlite"
    name: str
    host: str = ""
    port: str = ""
    user: str = ""
    password: str = ""

    @classmethod
    def from_settings_dict(cls, settings_dict: dict) -> DatabaseTarget:
        engine = settings_dict["ENGINE"].rsplit(".", 1)[-1]
        if engine == "sqlite3":
            return cls(engine="sqlite", name=str(settings_dict["NAME"]))
        if engine == "postgresql":
            return cls(
                engine="postgresql",
                name=settings_dict["NAME"],
                host=settings_dict.get("HOST") or "",
                port=str(settings_dict.get("PORT") or ""),
                user=settings_dict.get("USER") or "",
                password=settings_dict.get("PASSWORD") or "",
            )
        raise BackupError(f"unsupported database engine {settings_dict['ENGINE']}")

    @classmethod
    def from_url(cls, url: str) -> DatabaseTarget:
        import environ

        return cls.from_settings_dict(environ.Env.db_url_config(url))

    def pg_args(self) -> list[str]:
        args = []
        if self.host:
            args += ["--host", self.host]
        if self.port:
            args += ["--port", self.port]
        if self.user:
            args += ["--username", self.user]
        return args

    def pg_env(self) -> dict:
        env = dict(os.environ)
        if self.password:
            env["PGPASSWORD"] = self.password
        return env


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def table_counts() -> dict[str, int]:
    """Rows per table of every installed model (what a restore must find again)."""
    counts = {}
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if table in tables and table not in counts:
                cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
                counts[table] = cursor.fetchone()[0]
    return dict(sorted(counts.items()))


def media_files(media_root: Path) -> dict[str, str]:
    if not media_root.exists():
        return {}
    return {
        str(path.relative_to(media_root)): _sha256(path) for path in sorted(media_root.rglob("*")) if path.is_file()
    }


def backup_create(*, destination: Path) -> Path:
    """Write a backup folder under `destination`; returns it. Side effects: files on disk only."""
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = destination / f"kloss-backup-{stamp}"
    folder.mkdir(parents=True, exist_ok=False)
    target = DatabaseTarget.from_settings_dict(connection.settings_dict)
    if target.engine == "postgresql":
        dump = folder / "database.dump"
        result = subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(dump), *target.pg_args()]
            + [target.name],
            env=target.pg_env(),
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip().splitlines()[-1] if result.stderr else ''}")
    else:
        # SQLite's online backup API copies a consistent snapshot even while others write.
        source = sqlite_connect(target.name)
        copy = sqlite_connect(folder / "database.sqlite3")
        with copy:
            source.backup(copy)
        copy.close()
        source.close()
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(folder / "media.tar.gz", "w:gz") as archive:
        if media_root.exists():
            archive.add(media_root, arcname="media")
    manifest = {
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "engine": target.engine,
        "tables": table_counts(),
        "media": media_files(media_root),
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return folder


def _pg_connect(target: DatabaseTarget, **kwargs):
    import psycopg

    return psycopg.connect(
        host=target.host or "127.0.0.1",
        port=target.port or 5432,
        user=target.user or None,
        password=target.password or None,
        dbname=target.name,
        **kwargs,
    )


def database_tables(target: DatabaseTarget) -> int:
    """How many tables the target database holds (0: empty, or not there yet for SQLite)."""
    if target.engine == "sqlite":
        if not Path(target.name).exists():
            return 0
        conn = sqlite_connect(target.name)
        try:
            return conn.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        finally:
            conn.close()
    import psycopg

    try:
        with _pg_connect(target) as conn:
            return conn.execute(
                "SELECT COUNT(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
            ).fetchone()[0]
    except psycopg.Error as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise BackupError(f"cannot open the target database {target.name}: {reason}") from error


def media_entries(media_root: Path) -> int:
    return sum(1 for _ in media_root.iterdir()) if media_root.is_dir() else 0


def _empty_database(target: DatabaseTarget) -> None:
    """Drop everything in the target database (PostgreSQL: the public schema; SQLite: the file)."""
    if target.engine == "sqlite":
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(target.name + suffix).unlink(missing_ok=True)
        return
    with _pg_connect(target, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")


def _empty_folder(folder: Path) -> None:
    if not folder.is_dir():
        return
    for entry in folder.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def backup_restore(*, folder: Path, target: DatabaseTarget, media_root: Path, force: bool = False) -> dict:
    """Restore a backup folder into `target` and `media_root`, which must be empty unless `force`.

    Refuses (BackupError, nothing changed) a database with tables or a media folder with files: a
    restore over live data would mix the two. With `force` both are emptied first, so the result is
    exactly the backup. Side effects: the target database's contents and the files under media_root.
    """
    manifest_path = folder / "manifest.json"
    if not manifest_path.exists():
        raise BackupError(f"{folder} is not a backup: manifest.json is missing")
    manifest = json.loads(manifest_path.read_text())
    if manifest["engine"] != target.engine:
        raise BackupError(f"the backup is of {manifest['engine']}, the target database is {target.engine}")
    if not force:
        tables, entries = database_tables(target), media_entries(media_root)
        if tables:
            raise BackupError(
                f"the database {target.name} is not empty ({tables} tables); "
                "restore into an empty one, or give --force to empty it and the media folder first"
            )
        if entries:
            raise BackupError(
                f"the media folder {media_root} is not empty ({entries} entries); "
                "restore into an empty one, or give --force to empty it and the database first"
            )
    else:
        _empty_database(target)
        _empty_folder(media_root)
    if target.engine == "postgresql":
        result = subprocess.run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--exit-on-error"]
            + target.pg_args()
            + ["--dbname", target.name, str(folder / "database.dump")],
            env=target.pg_env(),
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip().splitlines()[-1] if result.stderr else ''}")
    else:
        shutil.copyfile(folder / "database.sqlite3", target.name)
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / "media.tar.gz", "r:gz") as archive:
        for member in archive.getmembers():
            if not member.name.startswith("media"):
                continue
            member.name = member.name.removeprefix("media").lstrip("/")
            if member.name:
                archive.extract(member, media_root, filter="data")
    return manifest
