"""`python manage.py backup [--to DIR]`: the database and the uploaded files, with a manifest."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kloss_site.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database (pg_dump, or a consistent SQLite copy) and the uploaded files."

    def add_arguments(self, parser):
        parser.add_argument("--to", default=str(settings.VAR_DIR / "backups"), help="Folder to write the backup into.")

    def handle(self, *args, to, **options):
        try:
            folder = backup_create(destination=Path(to))
        except (BackupError, OSError) as error:
            raise CommandError(f"backup failed: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Backup written to {folder}"))
