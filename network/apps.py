from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "network"
    verbose_name = _("Network")

    def ready(self):
        from . import audit  # the audit trail's receivers (recording only)

        audit.connect_receivers()
