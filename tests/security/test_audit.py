"""Audit: failed logins, refusals, decisions and role changes are logged as JSON lines and stored for staff."""

import datetime
import json
import logging

from django.conf import settings
from django.urls import reverse

from kloss_site.audit import JsonFormatter
from network import services
from network.audit import AuditEvent
from network.models import SteeringGroupSeat
from network.tests.factories import ApplicantFactory, MemberFactory, UserFactory


def _lines(caplog) -> list[dict]:
    """The audit records as the stdout handler writes them (one JSON object per line)."""
    formatter = JsonFormatter()
    return [json.loads(formatter.format(r)) for r in caplog.records if r.name == "kloss.audit"]


def test_stdout_handler_writes_json_lines():
    assert settings.LOGGING["handlers"]["stdout"]["formatter"] == "json"
    assert settings.LOGGING["handlers"]["stdout"]["stream"] == "ext://sys.stdout"
    record = logging.LogRecord("kloss.audit", logging.INFO, __file__, 1, "audit %s", ("x",), None)
    record.actor = 7
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "audit x" and line["actor"] == 7 and line["level"] == "INFO"


def test_failed_login_logged_and_stored(client, member, caplog):
    caplog.set_level(logging.INFO, logger="kloss.audit")
    response = client.post(reverse("account_login"), {"login": member.user.email, "password": "wrong-password"})
    assert response.status_code == 200  # the form again, with an error
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.LOGIN_FAILED)
    assert event.target == member.user.email and event.actor is None
    [line] = _lines(caplog)
    assert line["audit_event"] == "login_failed" and line["target"] == member.user.email
    assert "wrong-password" not in json.dumps(line) and "wrong-password" not in json.dumps(event.detail)


def test_permission_refusal_logged_and_stored(member_client, member, caplog):
    caplog.set_level(logging.INFO, logger="kloss.audit")
    url = reverse("network:approval_list")
    assert member_client.get(url).status_code == 403
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.PERMISSION_DENIED)
    assert event.actor == member.user and event.target == url
    [line] = _lines(caplog)
    assert line["audit_event"] == "permission_denied" and line["actor"] == member.user.pk and line["target"] == url


def test_approval_and_rejection_logged_with_who_decided(staff_client, staff_user, caplog):
    caplog.set_level(logging.INFO, logger="kloss.audit")
    approved, rejected = ApplicantFactory(), ApplicantFactory()
    staff_client.post(reverse("network:approval_decide", args=[approved.pk]), {"decision": "approve", "note": ""})
    services.member_reject(member=rejected, by=staff_user, note="Not in the network")
    events = {e.kind: e for e in AuditEvent.objects.filter(kind__in=["member_approved", "member_rejected"])}
    assert events["member_approved"].actor == staff_user
    assert events["member_approved"].target == f"network.member:{approved.pk}"
    assert events["member_rejected"].detail["note"] == "Not in the network"
    kinds = [line["audit_event"] for line in _lines(caplog)]
    assert "member_approved" in kinds and "member_rejected" in kinds


def test_staff_flag_change_in_the_admin_logged_with_the_acting_user(staff_client, staff_user, caplog):
    caplog.set_level(logging.INFO, logger="kloss.audit")
    user = UserFactory()
    AuditEvent.objects.all().delete()
    response = staff_client.post(
        reverse("admin:network_user_change", args=[user.pk]),
        {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "is_active": "on",
            "is_staff": "on",
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.STAFF_CHANGED)
    assert event.actor == staff_user and event.target == f"network.user:{user.pk}"
    assert event.detail == {
        "before": {"is_staff": False, "is_superuser": False},
        "after": {"is_staff": True, "is_superuser": False},
    }
    assert any(line["audit_event"] == "staff_changed" for line in _lines(caplog))


def test_steering_seat_logged(db, caplog):
    caplog.set_level(logging.INFO, logger="kloss.audit")
    member = MemberFactory()
    services.steering_seat_create(member=member, role=SteeringGroupSeat.Role.CHAIR, starts_on=datetime.date(2026, 1, 1))
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.STEERING_SEAT)
    assert event.target == f"network.member:{member.pk}" and event.detail["role"] == "chair"
    assert any(line["audit_event"] == "steering_seat" for line in _lines(caplog))


def test_staff_see_the_audit_trail_read_only(staff_client):
    AuditEvent.objects.create(kind=AuditEvent.Kind.LOGIN_FAILED, target="someone@example.se")
    page = staff_client.get(reverse("admin:network_auditevent_changelist"))
    assert "someone@example.se" in page.content.decode()
    event = AuditEvent.objects.get(target="someone@example.se")
    assert (
        staff_client.post(reverse("admin:network_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    assert reverse("admin:network_auditevent_add") not in page.content.decode()
