from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from network.cache import MEETINGS, watch
        from network.panels import register_panel

        from . import messaging
        from .models import Action, AgendaItem, Attendance, Decision, HostDecline, Meeting, MeetingDocument

        messaging.register()  # the meeting-answer filter and the host's scope of messages to members

        # Cached pages and the calendar feed are built again after a change (network/cache.py).
        watch(MEETINGS, Meeting, AgendaItem, Attendance, MeetingDocument, HostDecline, Decision, Action)
        # The institution page lists the meetings it hosted (network/panels.py).
        register_panel("institution_detail", "meetings/includes/_institution_hosting.html", order=10)
