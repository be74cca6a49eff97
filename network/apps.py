from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "network"
    verbose_name = _("Network")

    def ready(self):
        from . import audit  # noqa: F401 - connects the failed-login receiver (recording only)
        from .cache import NETWORK, watch
        from .models import Institution, InstitutionDomain, LeadershipTerm, Member, SteeringGroupSeat, User

        # Cached pages and figures that show these rows are built again after a change (network/cache.py).
        watch(NETWORK, User, ignore_fields={"last_login"})  # a login changes nothing shown
        watch(NETWORK, Institution, InstitutionDomain, Member, LeadershipTerm, SteeringGroupSeat)
