"""The meetings app's rows of the URL x role matrix (see kloss_site/tests/test_url_matrix.py).

host_contact is a member of the institution hosting world["meeting"]; staff has no Member row.
"""

import datetime

from kloss_site.tests.test_url_matrix import ROLES
from meetings.models import Action, Decision
from meetings.tests import minutes_matrix, proposal_url_matrix
from meetings.tests.date_poll_factories import confirmed_meeting, open_poll, steering_meeting_awaiting_date
from meetings.tests.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    MeetingDocumentFactory,
    ScheduledMeetingFactory,
)
from network.models import Member


def _members_only(ok=200, staff=None):
    return {
        "anonymous": "login",
        "applicant": "pending",
        "member": ok,
        "host_contact": ok,
        "participant": ok,
        "staff": ok if staff is None else staff,
        # Staff rights (staff count as members) need a second factor: she is sent to set it up.
        "staff_without_mfa": "mfa",
    }


def _hosts_only(ok=200):
    return {
        "anonymous": "login",
        "applicant": "pending",
        "member": 404,
        "host_contact": ok,
        "participant": 404,
        "staff": ok,
        "staff_without_mfa": "mfa",
    }


def build(world: dict) -> None:
    host_member = Member.objects.get(user=world["host_contact"])
    meeting = ScheduledMeetingFactory(host=host_member.institution, capacity=20)
    world["meeting"] = meeting
    world["agenda_item"] = AgendaItemFactory(meeting=meeting)
    world["document"] = MeetingDocumentFactory(meeting=meeting)
    AttendanceFactory(meeting=meeting, member=Member.objects.get(user=world["member"]))
    world["steering_meeting"] = ScheduledMeetingFactory(kind="steering", host=None)
    world["steering_document"] = MeetingDocumentFactory(meeting=world["steering_meeting"])
    # A held steering-group meeting, hosted by the members' institution, with a decision and an
    # action that institution owns: its seats' and the secretariat's, on no other member's page or list.
    held_steering = ScheduledMeetingFactory(
        kind="steering",
        host=world["institution"],
        status="held",
        starts_at=meeting.starts_at - datetime.timedelta(days=60),
        ends_at=meeting.starts_at - datetime.timedelta(days=60) + datetime.timedelta(hours=5),
        registration_deadline=None,
    )
    Decision.objects.create(meeting=held_steering, text_sv="Styrgruppen beslutar i en intern fråga.")
    Action.objects.create(
        meeting=held_steering,
        text="Bereda den interna frågan",
        owner_institution=world["institution"],
        due_on=meeting.starts_at.date(),
    )
    # Date polls: the host's next meeting awaits its date (an open poll), and so does a steering-group
    # meeting (its seats' and the secretariat's only).
    world["poll_meeting"] = confirmed_meeting(host=host_member.institution)
    world["date_poll"] = open_poll(world["poll_meeting"])
    world["steering_date_poll"] = open_poll(steering_meeting_awaiting_date())
    world["decision"] = Decision.objects.create(meeting=meeting, text_sv="Nätverket antar en ny strategi.")
    # Owned by the plain member: she may update its status, the other members may not.
    world["action"] = Action.objects.create(
        meeting=meeting,
        text="Skicka ut strategin på remiss",
        owner_member=Member.objects.get(user=world["member"]),
        due_on=meeting.starts_at.date(),
    )
    proposal_url_matrix.build(world)
    minutes_matrix.build(world)  # the minutes (issue 27)


def cases(world: dict) -> list[tuple[str, dict, dict]]:
    meeting = world["meeting"]
    pk = {"pk": meeting.pk}
    token = Member.objects.get(user=world["member"]).calendar_token
    return [
        ("meetings:meeting_list", {}, _members_only()),
        ("meetings:rotation_plan", {}, _members_only()),
        # The participation register: whoever sees the results dashboard (which shows its summary).
        ("meetings:participation", {}, _members_only()),
        # Staff without a Member row have no personal feed or answer of their own: 404.
        ("meetings:calendar", {}, _members_only(staff=404)),
        (
            "meetings:calendar_feed",
            {"token": token},
            dict.fromkeys(ROLES, 200),  # the token is the credential, whoever is logged in
        ),
        (
            "meetings:calendar_feed",
            {"token": "forged-token"},
            dict.fromkeys(ROLES, 404),
        ),
        ("meetings:meeting_detail", pk, _members_only()),
        ("meetings:meeting_detail", {"pk": 999999}, _members_only(404)),
        # A steering-group meeting: its seats (none of these roles) and the secretariat only.
        ("meetings:meeting_detail", {"pk": world["steering_meeting"].pk}, _members_only(404, staff=200)),
        ("meetings:meeting_ics", {"pk": world["steering_meeting"].pk}, _members_only(404, staff=200)),
        (
            "meetings:document_download",
            {"pk": world["steering_document"].pk},
            _members_only(404, staff=200),
        ),
        ("meetings:participant_list", {"pk": world["steering_meeting"].pk}, _hosts_only() | {"host_contact": 404}),
        ("meetings:meeting_ics", pk, _members_only()),
        ("meetings:meeting_hosting", pk, _hosts_only()),
        ("meetings:meeting_schedule", pk, _hosts_only()),
        ("meetings:meeting_status", pk, _hosts_only(405) | {"member": 405, "participant": 405}),
        ("meetings:agenda_item_add", pk, _hosts_only()),
        (
            "meetings:agenda_item_delete",
            {"pk": meeting.pk, "item_pk": world["agenda_item"].pk},
            _hosts_only(405) | {"member": 405, "participant": 405},
        ),
        ("meetings:attendance", pk, _members_only(staff=404)),
        ("meetings:stand_in", pk, _members_only(staff=404)),
        ("meetings:participant_list", pk, _hosts_only()),
        ("meetings:participant_csv", pk, _hosts_only()),
        ("meetings:document_upload", pk, _hosts_only()),
        ("meetings:document_download", {"pk": world["document"].pk}, _members_only()),
        # Messages to members: a host contact writes to her meeting's people (network/messages/messaging.py).
        ("meetings:meeting_message", pk, _hosts_only()),
        # Decisions and actions: recorded by the host contacts and the secretariat; the register for all.
        ("meetings:decision_add", pk, _hosts_only()),
        ("meetings:decision_edit", {"pk": meeting.pk, "decision_pk": world["decision"].pk}, _hosts_only()),
        ("meetings:action_add", pk, _hosts_only()),
        ("meetings:attendance_mark", pk, _hosts_only()),
        ("meetings:action_edit", {"pk": meeting.pk, "action_pk": world["action"].pk}, _hosts_only()),
        # Its owner (the member) and whoever may record at its meeting update an action's status.
        ("meetings:action_status", {"pk": world["action"].pk}, _hosts_only() | {"member": 200}),
        ("meetings:action_register", {}, _members_only()),
        ("meetings:action_export", {}, _members_only()),
        ("meetings:decision_register", {}, _members_only()),
        ("meetings:decision_export", {}, _members_only()),
        # Date polls: proposed by the host contacts and the secretariat (the steering group's chair for
        # its meetings: meetings/tests/test_date_polls.py) for a meeting awaiting its date only.
        ("meetings:date_poll_add", {"pk": world["poll_meeting"].pk}, _hosts_only()),
        ("meetings:date_poll_add", {"pk": world["steering_date_poll"].meeting_id}, _members_only(404, staff=200)),
        # Answered by the invited (every member of a network meeting); results and closing for the organisers.
        ("meetings:date_poll", {"pk": world["date_poll"].pk}, _members_only()),
        ("meetings:date_poll_close", {"pk": world["date_poll"].pk}, _hosts_only()),
        ("meetings:date_poll", {"pk": world["steering_date_poll"].pk}, _members_only(404, staff=200)),
        ("meetings:date_poll_close", {"pk": world["steering_date_poll"].pk}, _members_only(404, staff=200)),
        *proposal_url_matrix.cases(world, _members_only, _hosts_only),
        *minutes_matrix.cases(world, _members_only, _hosts_only),
    ]
