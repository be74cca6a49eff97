"""`python manage.py seed_demo`: demo data for every app, idempotent; refused when DEBUG is off."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

import meetings.demo
import network.demo
import projects.demo
from kloss_site.scale import seed_scale


class Command(BaseCommand):
    help = "Load the demo data (real Swedish HEIs, demo users for each role). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--logins", action="store_true", help="Only print the demo logins.")
        parser.add_argument("--force", action="store_true", help="Allow with DEBUG off (tests, benchmarks).")
        parser.add_argument(
            "--scale",
            type=float,
            metavar="K",
            help="Grow the data to K times the network (K=10: ~3,000 members, ~20,000 outputs). Tops up.",
        )

    def handle(self, *args, logins=False, force=False, scale=None, **options):
        if not (settings.DEBUG or force):
            raise CommandError("seed_demo refuses to run with DEBUG off: demo users have public passwords.")
        if logins:
            for email, role in [*network.demo.DEMO_LOGINS, *meetings.demo.demo_logins()]:
                self.stdout.write(f"    {email:<32} {role}")
            return
        with transaction.atomic():
            # Order matters: meetings build on the network, projects on both.
            network.demo.seed()
            meetings.demo.seed()
            projects.demo.seed()
            meetings.demo.seed_decisions()  # on the past meetings the timeline above produced
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        if scale is not None:
            self._scale(scale)

    def _scale(self, scale: float) -> None:
        if not 0 < scale <= 100:
            raise CommandError(f"--scale must be above 0 and at most 100, not {scale:g}.")
        started = time.monotonic()
        with transaction.atomic():
            summary = seed_scale(scale)
        for line in summary.lines():
            self.stdout.write(f"    {line}")
        self.stdout.write(self.style.SUCCESS(f"Scaled to K={scale:g} in {time.monotonic() - started:.1f} s."))
