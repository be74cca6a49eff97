"""The minutes' rows of the URL x role matrix (added by meetings/tests/url_matrix.py).

In this world `participant` took part in the held meeting whose minutes are circulated (she may
comment), `member` did not (she reads them), `host_contact` hosts it (she writes them); a second
meeting of hers has a draft nobody else sees; a steering-group meeting's published minutes are its
seats' and the secretariat's only.
"""

import datetime

from django.utils import timezone

from meetings.minutes import services
from meetings.models import Attendance, Meeting
from meetings.tests.factories import AgendaItemFactory, AttendanceFactory, ScheduledMeetingFactory
from network.models import Member


def _held(**kwargs) -> Meeting:
    start = timezone.now() - datetime.timedelta(days=20)
    meeting = ScheduledMeetingFactory(
        status=Meeting.Status.HELD,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=6),
        registration_deadline=None,
        **kwargs,
    )
    AgendaItemFactory(meeting=meeting, title="Verksamhetsplan", position=1)
    return meeting


def build(world: dict) -> None:
    host = Member.objects.get(user=world["host_contact"])
    meeting = _held(host=host.institution, title="Höstmöte med protokoll")
    AttendanceFactory(meeting=meeting, member=Member.objects.get(user=world["participant"]))
    AttendanceFactory(
        meeting=meeting, member=Member.objects.get(user=world["member"]), status=Attendance.Status.NOT_ATTENDING
    )
    minutes = services.minutes_start(meeting=meeting, by=world["host_contact"])
    services.minutes_circulate(
        minutes=minutes, by=world["host_contact"], deadline=timezone.now() + datetime.timedelta(days=7)
    )
    world["minutes"] = minutes
    world["minutes_item"] = minutes.items.get()
    world["draft_minutes"] = services.minutes_start(meeting=_held(host=host.institution), by=world["host_contact"])
    steering = _held(kind=Meeting.Kind.STEERING, host=None)
    steering_minutes = services.minutes_start(meeting=steering, by=None)
    services.minutes_circulate(minutes=steering_minutes, by=None, deadline=timezone.now() + datetime.timedelta(days=1))
    type(steering_minutes).objects.filter(pk=steering_minutes.pk).update(
        comment_deadline=timezone.now() - datetime.timedelta(hours=1)
    )
    steering_minutes.refresh_from_db()
    services.minutes_approve(minutes=steering_minutes, by=None)
    services.minutes_publish(minutes=steering_minutes, by=None)
    world["steering_minutes"] = steering_minutes


def cases(world: dict, members_only, hosts_only) -> list[tuple[str, dict, dict]]:
    minutes = world["minutes"]
    pk = {"pk": minutes.meeting_id}
    draft = {"pk": world["draft_minutes"].meeting_id}
    steering = {"pk": world["steering_minutes"].meeting_id}
    item = {"pk": minutes.meeting_id, "item_pk": world["minutes_item"].pk}
    year = {"year": world["steering_minutes"].meeting.year}
    # Who took part comments and reads the versions; who hosts writes; every member reads.
    took_part = hosts_only() | {"participant": 200}
    post_only = members_only(405)  # approve and publish are POSTs
    return [
        ("meetings:minutes_index", {}, members_only()),
        ("meetings:minutes_series", year, members_only()),
        ("meetings:minutes_series_pdf", year, members_only()),
        ("meetings:minutes_series_csv", year, members_only()),
        ("meetings:minutes_detail", pk, members_only()),
        ("meetings:minutes_pdf", pk, members_only()),
        ("meetings:minutes_decisions_csv", pk, members_only()),
        ("meetings:minutes_status", pk, post_only),
        ("meetings:minutes_edit", pk, hosts_only()),
        ("meetings:minutes_circulate", pk, hosts_only()),
        ("meetings:minutes_decision_add", item, hosts_only()),
        ("meetings:minutes_action_add", item, hosts_only()),
        ("meetings:minutes_comment", pk, took_part),
        ("meetings:minutes_versions", pk, took_part),
        ("meetings:minutes_version", pk | {"number": 2}, took_part),  # circulated
        ("meetings:minutes_version", pk | {"number": 1}, hosts_only()),  # the draft before it
        # Starting the minutes is a POST, offered to who may write them: the draft's meeting has some.
        ("meetings:minutes_start", draft, hosts_only(405)),
        # A draft: who writes it only.
        ("meetings:minutes_detail", draft, hosts_only()),
        # A steering-group meeting's: its seats (none of these roles) and the secretariat.
        ("meetings:minutes_detail", steering, members_only(404, staff=200)),
        ("meetings:minutes_pdf", steering, members_only(404, staff=200)),
        ("meetings:minutes_decisions_csv", steering, members_only(404, staff=200)),
    ]
