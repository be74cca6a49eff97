"""`python manage.py seed_demo`: demo data for every app, idempotent; refused when DEBUG is off."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

import meetings.demo
import network.demo
import projects.demo
import projects.yearly.demo
from network import cache


class Command(BaseCommand):
    help = "Load the demo data (real Swedish HEIs, demo users for each role). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--logins", action="store_true", help="Only print the demo logins.")
        parser.add_argument("--force", action="store_true", help="Allow with DEBUG off (tests, benchmarks).")

    def handle(self, *args, logins=False, force=False, **options):
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
            projects.yearly.demo.seed()  # the last full year's report, from all of the above
            cache.clear_all()  # every cached page is built again from the new data
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
