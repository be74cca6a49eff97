from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from network.panels import register_panel

        from . import (
            fragments,  # noqa: F401 - declares the cached fragments and what a change touches
            messaging,
        )
        from .proposals import rules as _proposal_rules  # noqa: F401 - registers the proposals' permissions

        messaging.register()  # the meeting-answer filter and the host's scope of messages to members

        # The institution page lists the meetings it hosted (network/panels.py).
        register_panel("institution_detail", "meetings/includes/_institution_hosting.html", order=10)
