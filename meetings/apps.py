from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from network.cache import MEETINGS, watch

        from .models import Action, AgendaItem, Attendance, Decision, HostDecline, Meeting, MeetingDocument

        # Cached pages and the calendar feed are built again after a change (network/cache.py).
        watch(MEETINGS, Meeting, AgendaItem, Attendance, MeetingDocument, HostDecline, Decision, Action)
