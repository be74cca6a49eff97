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

        from network.language.collation import register_lookups, register_sqlite

        from . import (
            audit,  # noqa: F401 - connects the failed-login receiver (recording only)
            fragments,  # noqa: F401 - declares the cached fragments and what a change touches
        )
        from .messages import messaging  # noqa: F401 - registers its recipient filters and the outbox kind
        from .mfa import record_totp_activation
        from .webhooks import checks  # noqa: F401 - the deploy check on local webhook receivers

        authenticator_added.connect(record_totp_activation, weak=False, dispatch_uid="mfa_totp_activation")
        # Database plumbing, not business logic: SQLite learns the Swedish collation, and every text field
        # the search lookup `uicontains` (network/language/collation.py).
        connection_created.connect(register_sqlite, dispatch_uid="network.language.collation.register_sqlite")
        register_lookups()
