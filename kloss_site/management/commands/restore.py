"""`python manage.py restore FOLDER [--database-url URL] [--media-root DIR] [--force]`: the documented restore.

The target database and media folder must be empty; `--force` empties both first.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from kloss_site.backup import BackupError, DatabaseTarget, backup_restore
from network import cache


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` into the configured (or given) database and MEDIA_ROOT."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="A backup folder (kloss-backup-...).")
        parser.add_argument("--database-url", help="Restore into this database instead of the configured one.")
        parser.add_argument("--media-root", help="Restore the files here instead of MEDIA_ROOT.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Empty the target database and media folder first (everything in them is lost).",
        )

    def handle(self, *args, folder, database_url=None, media_root=None, force=False, **options):
        try:
            target = (
                DatabaseTarget.from_url(database_url)
                if database_url
                else DatabaseTarget.from_settings_dict(connection.settings_dict)
            )
            connection.close()
            manifest = backup_restore(
                folder=Path(folder), target=target, media_root=Path(media_root or settings.MEDIA_ROOT), force=force
            )
        except (BackupError, OSError, KeyError) as error:
            raise CommandError(f"restore failed: {error}") from error
        cache.clear_all()  # nothing cached before the restore may be shown after it
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {rows} rows in {len(manifest['tables'])} tables and {len(manifest['media'])} files."
            )
        )
