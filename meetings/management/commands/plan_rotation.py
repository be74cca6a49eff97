"""`python manage.py plan_rotation --slots N [--dry-run]`: propose hosts for the next N slots."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from meetings import selectors, services


class Command(BaseCommand):
    help = "Propose host institutions for the next N meeting slots (confirmed hosts are never moved)."

    def add_arguments(self, parser):
        parser.add_argument("--slots", type=int, default=8, help="How many slots from this half-year on (1-200).")
        parser.add_argument("--dry-run", action="store_true", help="Print the plan without saving it.")

    def handle(self, *args, slots: int, dry_run: bool, **options):
        if not 1 <= slots <= 200:
            raise CommandError(f"--slots must be between 1 and 200, not {slots}.")
        try:
            planned = selectors.rotation_preview(count=slots) if dry_run else services.rotation_plan(count=slots)
        except services.MeetingError as error:
            raise CommandError(error.message) from error
        for row in planned:
            host = row.host.display_short if row.host else "-"
            changed = row.changes if dry_run else row.written
            mark = "*" if changed else " "
            self.stdout.write(f"{mark} {row.year} {row.season:<6} {host:<12} {row.explanation}")
        verb = _("would change") if dry_run else _("changed")
        changed = sum(1 for row in planned if (row.changes if dry_run else row.written))
        self.stdout.write(f"{changed} {verb} (*)")
