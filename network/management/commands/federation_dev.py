"""Development only (`make run`): the fake federation of network/federation/devidp.py, set up and read."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from network.federation import devidp
from network.federation.metadata import federation_refresh
from network.models import Institution


class Command(BaseCommand):
    help = "Development only: two demo institutions sign in through the development identity provider."

    def handle(self, *args, **options):
        if not settings.FEDERATION_DEV_IDP:
            raise CommandError("The development identity provider exists only with DEBUG on.")
        chosen = [
            (institution, domain)
            for institution in Institution.objects.current_members().prefetch_related("domains").order_by("name")
            for domain in [next(iter(d.domain for d in institution.domains.all()), "")]
            if domain
        ][:2]
        if not chosen:
            raise CommandError("No member institution with an email domain: run `manage.py seed_demo` first.")
        federation = devidp.dev_federation(settings.SITE_URL, [(i.name, d) for i, d in chosen])
        devidp.signer_certificate_file().write_text(federation.signer.cert_pem)
        for (institution, _domain), idp in zip(chosen, federation.idps, strict=True):
            Institution.objects.filter(pk=institution.pk).update(idp_entity_id=idp.entity_id)
        result = federation_refresh(xml=federation.metadata())
        if not result.ok:
            raise CommandError(f"the development federation's metadata was refused: {result.problem}")
        names = ", ".join(i.name for i, _ in chosen)
        self.stdout.write(f"Log in with your university: {names} (development identity provider)")
