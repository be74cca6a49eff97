"""Fetch and verify the federation's metadata now, as beat does hourly (network/federation/metadata.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from network.federation.metadata import federation_refresh


class Command(BaseCommand):
    help = (
        "Fetch SWAMID's metadata, verify its signature and validity, and update the member institutions' "
        "identity providers."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", help="Read the metadata from this file instead of FEDERATION_METADATA_URL.")

    def handle(self, *args, file=None, **options):
        xml = Path(file).read_bytes() if file else None
        result = federation_refresh(xml=xml)
        if not result.ok:
            raise CommandError(f"federation metadata refused: {result.problem} (nothing changed)")
        self.stdout.write(f"identity providers updated: {result.updated}, removed: {result.removed}")
