from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "network"
    verbose_name = _("Network")

    def ready(self):
        # Setting TOTP up completes the session's second factor (network/mfa.py says why a receiver).
        from allauth.mfa.signals import authenticator_added
        from django.db.backends.signals import connection_created

        from . import (
            audit,  # noqa: F401 - connects the failed-login receiver (recording only)
            messaging,  # noqa: F401 - registers its recipient filters and the outbox kind
        )
        from .cache import NETWORK, watch
        from .collation import register_sqlite
        from .mfa import record_totp_activation
        from .models import Institution, InstitutionDomain, LeadershipTerm, Member, SteeringGroupSeat, User

        authenticator_added.connect(record_totp_activation, weak=False, dispatch_uid="mfa_totp_activation")
        # Database plumbing, not business logic: SQLite learns the Swedish collation (network/collation.py).
        connection_created.connect(register_sqlite, dispatch_uid="network.collation.register_sqlite")
        # Cached pages and figures that show these rows are built again after a change (network/cache.py).
        watch(NETWORK, User, ignore_fields={"last_login"})  # a login changes nothing shown
        watch(NETWORK, Institution, InstitutionDomain, Member, LeadershipTerm, SteeringGroupSeat)
