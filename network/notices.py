"""One-off notices of the network app, sent through the outbox (network/outbox/mail.py's `mail_enqueue`).

- application_received: to each address in settings.SECRETARIAT_EMAILS, when an applicant has
  confirmed her email address (in the site's language);
- application_approved, application_rejected: to the applicant, in her language;
- outbox_failing: to each address in settings.SECRETARIAT_EMAILS, once per outage, when mail has been
  failing for a while (network/outbox/health.py).

Their context is built when the worker sends, from the Member the row is about, so links point at
settings.SITE_URL of the running site and a renamed member is greeted by her new name.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.dateparse import parse_datetime

from network.outbox import health as outbox_health
from network.outbox.worker import notice_kind

from .models import Delivery, Member
from .selectors import domain_is_member, member_domains


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


application_received = notice_kind("application_received", template="network/application_received")


@application_received.context
def _(delivery: Delivery) -> dict:
    member: Member = delivery.obj
    return {
        "member": member,
        "name": member.full_name,
        "email": member.user.email,
        "domain_ok": domain_is_member(member.user.email, member_domains()),
        "admin_url": _absolute(reverse("admin:network_member_change", args=[member.pk])),
        "queue_url": _absolute(reverse("network:approval_list")),
    }


def _decision_context(delivery: Delivery) -> dict:
    member: Member = delivery.obj
    return {
        "member": member,
        "name": member.user.first_name or member.full_name,
        "note": member.decision_note,
        "home_url": _absolute(reverse("home")),
    }


application_approved = notice_kind("application_approved", template="network/application_approved")
application_approved.context(_decision_context)
application_rejected = notice_kind("application_rejected", template="network/application_rejected")
application_rejected.context(_decision_context)


outbox_failing = notice_kind(outbox_health.KIND, template=outbox_health.TEMPLATE)


@outbox_failing.context
def _(delivery: Delivery) -> dict:
    return {
        "since": parse_datetime(delivery.context["since"]),
        "deliveries_url": _absolute(reverse("admin:network_delivery_changelist")),
    }
