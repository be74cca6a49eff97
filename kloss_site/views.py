"""Pages that gather from all apps: the public landing page, the member home page, /healthz."""

import logging

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.functional import SimpleLazyObject
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from kloss_site import selectors
from kloss_site.fragments import HOME_NEXT_MEETING, HOME_PERSONAL, HOME_SHARED, HOME_STAFF
from network import cache as page_cache
from network.federation.metadata import federation_health
from network.mixins import MemberRequiredMixin
from network.models import Institution
from network.outbox.health import outbox_trouble
from network.rules import is_active_member, is_applicant, is_staff_with_mfa

logger = logging.getLogger(__name__)


class LandingView(TemplateView):
    """Public: what the network is. Logged-in members go straight to their home page."""

    template_name = "landing.html"

    def get(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if is_active_member(request.user):
                return redirect("home")
            if is_applicant(request.user):
                return redirect("network:application_status")
        return super().get(request, *args, **kwargs)


class HomeView(MemberRequiredMixin, TemplateView):
    """The member's home page: the next meeting, hosting, her projects and the reports they owe,
    recent results, who leads the network; for staff, what waits for the secretariat."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        # Her panels are two fragments of her own (kloss_site/fragments.py), kept until what they
        # show changes and a minute at most (the next meeting changes with the clock): the next
        # meeting with her answer, and the rest. `next_meeting` and `home` are only read to build
        # them. The versions of every fragment of the page are read in one round trip.
        context["next_meeting"] = SimpleLazyObject(lambda: selectors.next_meeting_for(user))
        context["home"] = SimpleLazyObject(lambda: selectors.home_for(user))
        member = getattr(user, "member", None)
        context["home_member"] = member.pk if member else None
        context["home_institution"] = member.institution_id if member else None
        context["home_staff"] = is_staff_with_mfa(user)
        page_cache.prefetch(
            *HOME_NEXT_MEETING.namespaces(member=member and member.pk),
            *HOME_PERSONAL.namespaces(member=member and member.pk, institution=member and member.institution_id),
            *HOME_SHARED.namespaces(),
            *HOME_STAFF.namespaces(),
        )
        return context


class FloorView(LoginRequiredMixin, TemplateView):
    """The floor of the load benchmark (bench/run.py): the least any page of ours does on this stack
    (session, login, one query of its own, a tiny template). Nothing to see for people."""

    template_name = "bench_floor.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(institutions=Institution.objects.count(), **kwargs)


def _check_database() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone()[0] == 1


def _check_cache() -> bool:
    cache.set("healthz", "ok", timeout=10)
    return cache.get("healthz") == "ok"


def _check_broker() -> bool:
    from kloss_site.celery import app  # the Celery app is configured from settings at import

    with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
        conn.ensure_connection(max_retries=1, timeout=3)
        return conn.connected


@never_cache
def healthz(request):
    """Database, cache and broker, each ok or not: 200 when all are ok, else 503. And whether mail is
    getting through ("mail": "ok", or "failing" since when: network/outbox/health.py), which does not
    change the status."""
    checks = {}
    for name, check in (("database", _check_database), ("cache", _check_cache), ("broker", _check_broker)):
        try:
            checks[name] = "ok" if check() else "error"
        except Exception:
            logger.exception("healthz: %s check failed", name)
            checks[name] = "error"
    healthy = all(value == "ok" for value in checks.values())
    # Mail that is failing is reported, not counted against the status: the site itself serves pages and
    # keeps the emails (a load balancer must not take it out of service for the mail server's sake).
    mail = {"mail": "unknown"}
    if checks["database"] == "ok":
        try:
            trouble = outbox_trouble()
        except Exception:
            logger.exception("healthz: mail check failed")
        else:
            mail = {"mail": "ok"}
            if trouble is not None:
                since, waiting = trouble.since.isoformat(), trouble.waiting
                mail = {"mail": "failing", "mail_failing_since": since, "mail_waiting": waiting}
        # The federation's metadata: reported like mail, never counted against the status.
        try:
            mail.update(federation_health())
        except Exception:
            logger.exception("healthz: federation check failed")
            mail["federation"] = "unknown"
    return JsonResponse({"status": "ok" if healthy else "error", **checks, **mail}, status=200 if healthy else 503)
