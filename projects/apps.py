from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "projects"
    verbose_name = _("Projects")

    def ready(self):
        # The dashboard's cached aggregates are forgotten whenever what they count changes, from the
        # site, the admin or a shell alike (bulk writes call selectors.invalidate_dashboard themselves).
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from network.models import Institution

        from . import selectors
        from .models import Output, Project, Report, ReportingRound, Theme

        for model in (Output, Project, Report, ReportingRound, Theme, Institution):
            for name, signal in (("save", post_save), ("delete", post_delete)):
                signal.connect(
                    selectors.invalidate_dashboard, sender=model, dispatch_uid=f"dashboard_{name}_{model.__name__}"
                )
        m2m_changed.connect(
            selectors.invalidate_dashboard, sender=Project.institutions.through, dispatch_uid="dashboard_m2m"
        )
