from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "projects"
    verbose_name = _("Projects")

    def ready(self):
        from network.cache import PROJECTS, watch
        from network.panels import register_panel

        from .models import (
            ExternalPartner,
            Output,
            Participation,
            Project,
            ProjectLink,
            Report,
            ReportingRound,
            Theme,
        )

        # Cached pages and the dashboard's figures are built again after a change (network/cache.py).
        watch(PROJECTS, Theme, Project, Participation, ExternalPartner, ProjectLink, ReportingRound, Report, Output)
        # The institution page and a member's profile list their projects (network/panels.py).
        register_panel("institution_detail", "projects/includes/_institution_projects.html", order=20)
        register_panel("member_detail", "projects/includes/_member_projects.html", order=20)
