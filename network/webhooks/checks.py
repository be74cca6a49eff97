"""`manage.py check --deploy`: webhooks to loopback receivers are for tests and development only."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def local_receivers_allowed(app_configs, **kwargs):
    if getattr(settings, "WEBHOOK_ALLOW_LOCAL_RECEIVERS", False):
        return [
            checks.Warning(
                "WEBHOOK_ALLOW_LOCAL_RECEIVERS is on: webhooks may be sent over plain http and to this machine.",
                hint="Turn it off in production (it exists for tests and development).",
                id="network.W001",
            )
        ]
    return []
