from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "projects"
    verbose_name = _("Projects")

    def ready(self):
        from network.panels import register_panel

        from . import fragments  # noqa: F401 - declares the cached fragments and what a change touches
        from .yearly import tasks  # noqa: F401 - registers the yearly report's Celery task with the worker

        # The institution page and a member's profile list their projects (network/panels.py).
        register_panel("institution_detail", "projects/includes/_institution_projects.html", order=20)
        register_panel("member_detail", "projects/includes/_member_projects.html", order=20)
        # meetings' participation register leads back to the dashboard that links to it.
        register_panel("participation", "projects/includes/_participation_dashboard_link.html", order=20)
