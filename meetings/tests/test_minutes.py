"""Minutes as a document of the site (issue 27): each step of the workflow (start, write, record
decisions and actions in place, circulate, comment, approve, publish), the versions, who may do
what, the notices in the reader's language."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meetings import services as meeting_services
from meetings.minutes import services
from meetings.models import (
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    Minutes,
    MinutesComment,
    MinutesVersion,
)
from meetings.services import MeetingError
from meetings.tests.factories import AgendaItemFactory, AttendanceFactory, ScheduledMeetingFactory, in_days
from network.models import Delivery
from network.tests.factories import MemberFactory, StaffUserFactory, SteeringGroupSeatFactory, login

pytestmark = pytest.mark.django_db


def held_meeting(**kwargs) -> Meeting:
    meeting = ScheduledMeetingFactory(
        status=Meeting.Status.HELD,
        starts_at=in_days(-10),
        ends_at=in_days(-10, 16),
        registration_deadline=None,
        **kwargs,
    )
    for title in ("Välkommen", "Verksamhetsplan 2027", "Övriga frågor"):
        AgendaItemFactory(meeting=meeting, title=title, position=meeting.agenda_items.count() + 1)
    return meeting


def client_of(user, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if getattr(user, "is_staff", False):
        login(client, user)
    else:
        client.force_login(user)
    return client


def staff():
    from network.tests.factories import activate_totp

    user = StaffUserFactory()
    activate_totp(user)
    return user


class World:
    """A held meeting (agenda of three items) hosted by the host's institution, its participants
    (one Swedish, one English), a member who was not there, the next meeting (scheduled)."""

    def __init__(self):
        self.meeting = held_meeting(title="Höstmöte i Malmö")
        self.host = MemberFactory(institution=self.meeting.host)
        self.sv = MemberFactory(language="sv")
        self.en = MemberFactory(language="en")
        for member in (self.sv, self.en):
            AttendanceFactory(meeting=self.meeting, member=member, status=Attendance.Status.ATTENDING)
        self.absent = MemberFactory()
        AttendanceFactory(meeting=self.meeting, member=self.absent, status=Attendance.Status.NOT_ATTENDING)
        self.next = ScheduledMeetingFactory(year=self.meeting.year + 1, title="Vårmöte i Umeå")

    def start(self) -> Minutes:
        return services.minutes_start(meeting=self.meeting, by=self.host.user)

    def circulated(self, days: int = 7) -> Minutes:
        minutes = self.start()
        return services.minutes_circulate(
            minutes=minutes, by=self.host.user, deadline=timezone.now() + datetime.timedelta(days=days)
        )


def pass_deadline(minutes: Minutes) -> None:
    """Time passes: the deadline for comments is behind us."""
    Minutes.objects.filter(pk=minutes.pk).update(comment_deadline=timezone.now() - datetime.timedelta(minutes=1))
    minutes.refresh_from_db()


# --- Start and write ---------------------------------------------------------------------------------


def test_start_makes_an_item_per_agenda_item_and_the_first_version():
    world = World()
    minutes = world.start()
    assert minutes.status == Minutes.Status.DRAFT and minutes.drafted_by == world.host.user
    assert [i.title for i in minutes.items.order_by("position")] == [
        "Välkommen",
        "Verksamhetsplan 2027",
        "Övriga frågor",
    ]
    assert all(i.agenda_item.meeting_id == world.meeting.pk for i in minutes.items.all())
    assert list(minutes.versions.values_list("number", "reason")) == [(1, "started")]
    assert services.minutes_start(meeting=world.meeting, by=world.host.user) == minutes  # once


def test_start_without_an_agenda_has_one_item():
    meeting = ScheduledMeetingFactory(status=Meeting.Status.HELD, starts_at=in_days(-3), ends_at=in_days(-3, 15))
    minutes = services.minutes_start(meeting=meeting, by=None)
    assert [i.title for i in minutes.items.all()] == ["Mötet"]  # the site's language


@pytest.mark.parametrize("status", [Meeting.Status.SCHEDULED, Meeting.Status.CANCELLED])
def test_start_refused_before_the_meeting_or_when_cancelled(status):
    meeting = ScheduledMeetingFactory(status=status)  # in 30 days
    with pytest.raises(MeetingError):
        services.minutes_start(meeting=meeting, by=None)
    assert not Minutes.objects.exists()


def test_edit_saves_every_item_in_one_version_and_refuses_no_change():
    world = World()
    minutes = world.start()
    first, second, _third = minutes.items.order_by("position")
    services.minutes_edit(
        minutes=minutes,
        by=world.host.user,
        introduction="Närvarande: se deltagarlistan. Ordförande: Erik Johansson.",
        texts={first.pk: "Ordföranden hälsade välkommen.", second.pk: "Planen presenterades."},
    )
    minutes.refresh_from_db()
    assert minutes.introduction.startswith("Närvarande")
    version = minutes.versions.get(number=2)
    assert version.reason == "edited" and "§ 2. Verksamhetsplan 2027\nPlanen presenterades." in version.text
    with pytest.raises(MeetingError, match="Nothing has changed"):
        services.minutes_edit(
            minutes=minutes,
            by=world.host.user,
            introduction=minutes.introduction,
            texts={first.pk: "Ordföranden hälsade välkommen."},
        )
    assert minutes.versions.count() == 2


def test_decisions_and_actions_recorded_in_place_link_to_their_agenda_item():
    world = World()
    minutes = world.start()
    item = minutes.items.get(title="Verksamhetsplan 2027")
    decision = services.minutes_decision_record(
        minutes=minutes, item=item, by=world.host.user, text_sv="Nätverket antar planen.", text_en="", theme=None
    )
    action = services.minutes_action_record(
        minutes=minutes,
        item=item,
        by=world.host.user,
        text="Skicka planen till medlemmarna",
        owner_member=world.sv,
        owner_institution=None,
        due_meeting=world.next,
        due_on=None,
        theme=None,
        decision=decision,
    )
    assert decision.agenda_item == item.agenda_item and action.agenda_item == item.agenda_item
    assert list(item.agenda_item.decisions.all()) == [decision]
    last = minutes.versions.order_by("-number").first()
    assert last.reason == "action"
    assert "- Beslut: Nätverket antar planen." in last.text and "Skicka planen till medlemmarna" in last.text


def test_an_agenda_item_of_another_meeting_is_refused():
    world = World()
    other = AgendaItemFactory()
    with pytest.raises(MeetingError):
        meeting_services.decision_record(meeting=world.meeting, by=None, text_sv="Fel möte", agenda_item=other)


# --- Circulate ----------------------------------------------------------------------------------------


def test_circulate_tells_each_participant_in_her_language_and_adds_the_approval_item(
    mailoutbox, django_capture_on_commit_callbacks
):
    world = World()
    with django_capture_on_commit_callbacks(execute=True):
        minutes = world.circulated()
    assert minutes.status == Minutes.Status.CIRCULATED and minutes.comment_deadline > timezone.now()
    rows = Delivery.objects.filter(kind="meeting_minutes_circulated")
    assert {row.recipient for row in rows} == {world.sv, world.en}  # not the absent member
    by_address = {mail.to[0]: mail for mail in mailoutbox}
    assert "Protokollet från Höstmöte i Malmö" in by_address[world.sv.email].subject
    assert "The minutes of Höstmöte i Malmö" in by_address[world.en.email].subject
    assert f"/meetings/{world.meeting.pk}/minutes/" in by_address[world.en.email].body
    item = AgendaItem.objects.get(approves_minutes=minutes)
    assert item.meeting == world.next and item.title == "Godkännande av protokollet från Höstmöte i Malmö"
    assert list(world.next.agenda_items.all())[0] == item  # first on the agenda
    page = client_of(world.absent.user).get(world.next.get_absolute_url()).content.decode()
    assert f'href="/meetings/{world.meeting.pk}/minutes/"' in page  # the item links to them


def test_circulate_again_moves_the_deadline_and_tells_again_once(mailoutbox, django_capture_on_commit_callbacks):
    world = World()
    with django_capture_on_commit_callbacks(execute=True):
        minutes = world.circulated()
        services.minutes_circulate(
            minutes=minutes, by=world.host.user, deadline=timezone.now() + datetime.timedelta(days=10)
        )
    assert Delivery.objects.filter(kind="meeting_minutes_circulated", recipient=world.sv).count() == 2
    assert AgendaItem.objects.filter(approves_minutes=minutes).count() == 1


def test_a_notice_of_an_earlier_circulation_is_not_sent_once_the_deadline_moved(mailoutbox):
    from network.outbox.worker import delivery_send

    world = World()
    minutes = world.circulated()  # its notices wait: the commit never came (no on_commit callbacks run)
    first = Delivery.objects.get(kind="meeting_minutes_circulated", recipient=world.sv)
    services.minutes_circulate(minutes=minutes, by=None, deadline=timezone.now() + datetime.timedelta(days=20))
    assert delivery_send(delivery_id=first.pk) == "skipped" and mailoutbox == []
    later = Delivery.objects.filter(kind="meeting_minutes_circulated", recipient=world.sv).exclude(pk=first.pk).get()
    assert delivery_send(delivery_id=later.pk) == "sent" and len(mailoutbox) == 1


def test_when_the_deadline_passes_the_writers_are_told_once_with_the_count(
    mailoutbox, django_capture_on_commit_callbacks
):
    from network.outbox.worker import reminders_sweep

    world = World()
    minutes = world.circulated()
    services.minutes_comment(minutes=minutes, by=world.sv.user, text="Ett stavfel i § 1.")
    with django_capture_on_commit_callbacks(execute=True):
        reminders_sweep(only=["meeting_minutes_comments_closed"])
    assert not Delivery.objects.filter(kind="meeting_minutes_comments_closed").exists()  # not before it
    pass_deadline(minutes)
    world.host.language = "en"
    world.host.save(update_fields=["language"])
    mailoutbox.clear()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            reminders_sweep(only=["meeting_minutes_comments_closed"])
    told = Delivery.objects.filter(kind="meeting_minutes_comments_closed")
    assert [row.recipient for row in told] == [world.host]  # the host contact, not the participants; once
    [mail] = mailoutbox
    assert "ready for approval" in mail.subject and "has passed, with 1 comment." in mail.body


def test_circulate_refuses_a_deadline_in_the_past():
    world = World()
    minutes = world.start()
    with pytest.raises(MeetingError, match="future"):
        services.minutes_circulate(minutes=minutes, by=None, deadline=timezone.now() - datetime.timedelta(hours=1))
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.DRAFT


# --- Comment ---------------------------------------------------------------------------------------


def test_participant_comments_on_an_item_through_the_page():
    world = World()
    minutes = world.circulated()
    item = minutes.items.get(title="Verksamhetsplan 2027")
    client = client_of(world.en.user)
    url = reverse("meetings:minutes_comment", kwargs={"pk": world.meeting.pk})
    page = client.get(url, {"item": item.pk}).content.decode()
    assert f'<option value="{item.pk}" selected>' in page
    response = client.post(url, {"item": item.pk, "text": "Budgeten saknas i § 2."})
    assert response.status_code == 302
    comment = MinutesComment.objects.get()
    assert (comment.item, comment.author, comment.version) == (item, world.en.user, 2)
    # The drafter sees it under its item.
    page = client_of(world.host.user).get(reverse("meetings:minutes_detail", kwargs={"pk": world.meeting.pk}))
    assert "Budgeten saknas i § 2." in page.content.decode()


def test_a_double_submission_is_kept_once():
    world = World()
    minutes = world.circulated()
    client = client_of(world.sv.user)
    url = reverse("meetings:minutes_comment", kwargs={"pk": world.meeting.pk})
    for _ in range(2):
        assert client.post(url, {"item": "", "text": "Stavfel i rubriken."}).status_code == 302
    assert MinutesComment.objects.filter(minutes=minutes).count() == 1


def test_a_comment_after_the_deadline_is_refused():
    world = World()
    minutes = world.circulated()
    pass_deadline(minutes)
    with pytest.raises(MeetingError, match="deadline"):
        services.minutes_comment(minutes=minutes, by=world.sv.user, text="För sent")
    response = client_of(world.sv.user).post(
        reverse("meetings:minutes_comment", kwargs={"pk": world.meeting.pk}), {"text": "För sent"}
    )
    assert response.status_code == 404 and not MinutesComment.objects.exists()


def test_a_member_who_was_not_there_reads_but_may_not_comment():
    world = World()
    world.circulated()
    client = client_of(world.absent.user)
    assert client.get(reverse("meetings:minutes_detail", kwargs={"pk": world.meeting.pk})).status_code == 200
    assert client.get(reverse("meetings:minutes_comment", kwargs={"pk": world.meeting.pk})).status_code == 404


# --- Approve and publish ---------------------------------------------------------------------------------


def test_approve_is_refused_before_the_deadline_then_recorded_at_the_next_meeting():
    world = World()
    minutes = world.circulated()
    with pytest.raises(MeetingError, match="deadline"):
        services.minutes_approve(minutes=minutes, by=world.host.user)
    pass_deadline(minutes)
    minutes = services.minutes_approve(minutes=minutes, by=world.host.user)
    assert minutes.status == Minutes.Status.APPROVED and minutes.approved_at_meeting == world.next
    item = minutes.items.first()
    with pytest.raises(MeetingError, match="Approved minutes"):
        services.minutes_edit(minutes=minutes, by=world.host.user, introduction="Ändrad", texts={item.pk: "x"})


def test_publish_uses_the_existing_notice_and_keeps_every_version(mailoutbox, django_capture_on_commit_callbacks):
    world = World()
    minutes = world.circulated()
    pass_deadline(minutes)
    services.minutes_approve(minutes=minutes, by=world.host.user)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_publish(minutes=minutes, by=world.host.user)
    world.meeting.refresh_from_db()
    assert world.meeting.status == Meeting.Status.MINUTES_PUBLISHED and world.meeting.minutes_published_at
    told = Delivery.objects.filter(kind="meeting_minutes_published")
    assert {row.recipient for row in told} == {world.sv, world.en}
    english = next(mail for mail in mailoutbox if mail.to == [world.en.email])
    assert f"/meetings/{world.meeting.pk}/minutes/" in english.body
    assert list(minutes.versions.order_by("number").values_list("reason", flat=True)) == [
        "started",
        "circulated",
        "approved",
        "published",
    ]
    with pytest.raises(MeetingError):
        services.minutes_publish(minutes=minutes, by=world.host.user)


def test_publish_refused_before_approval():
    world = World()
    minutes = world.circulated()
    with pytest.raises(MeetingError, match="approved"):
        services.minutes_publish(minutes=minutes, by=world.host.user)


def test_the_journey_through_the_pages():
    """Draft -> circulate -> comment -> approve -> publish, as the host and a participant click it."""
    world = World()
    host = client_of(world.host.user)
    meeting_page = world.meeting.get_absolute_url()
    assert "Start the minutes" in host.get(meeting_page).content.decode()
    assert host.post(reverse("meetings:minutes_start", kwargs={"pk": world.meeting.pk})).status_code == 302
    minutes = Minutes.objects.get(meeting=world.meeting)
    item = minutes.items.order_by("position").first()
    edit = reverse("meetings:minutes_edit", kwargs={"pk": world.meeting.pk})
    response = host.post(edit, {"introduction": "Närvarande: alla.", f"item_{item.pk}": "Mötet öppnades."})
    assert response.status_code == 302
    response = host.post(
        reverse("meetings:minutes_decision_add", kwargs={"pk": world.meeting.pk, "item_pk": item.pk}),
        {"text_sv": "Dagordningen godkänns."},
    )
    assert response.status_code == 302 and Decision.objects.get().agenda_item == item.agenda_item
    deadline = (timezone.localtime() + datetime.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    circulate = reverse("meetings:minutes_circulate", kwargs={"pk": world.meeting.pk})
    assert host.post(circulate, {"comment_deadline": deadline}).status_code == 302
    participant = client_of(world.sv.user)
    comment = reverse("meetings:minutes_comment", kwargs={"pk": world.meeting.pk})
    assert participant.post(comment, {"item": item.pk, "text": "Rätt tid: 09.30."}).status_code == 302
    status = reverse("meetings:minutes_status", kwargs={"pk": world.meeting.pk})
    host.post(status, {"action": "approve"})
    assert Minutes.objects.get().status == Minutes.Status.CIRCULATED  # the deadline has not passed
    pass_deadline(minutes)
    assert host.post(status, {"action": "approve"}).status_code == 302
    assert host.post(status, {"action": "publish"}).status_code == 302
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.PUBLISHED
    page = client_of(world.absent.user).get(minutes.get_absolute_url()).content.decode()
    assert "Mötet öppnades." in page and "Dagordningen godkänns." in page
    assert "Rätt tid" not in page  # comments are for who writes the minutes and who took part


# --- Versions ---------------------------------------------------------------------------------------------


def test_versions_list_and_diff_show_what_changed():
    world = World()
    minutes = world.start()
    item = minutes.items.order_by("position").first()
    services.minutes_edit(minutes=minutes, by=world.host.user, introduction="", texts={item.pk: "Första lydelsen."})
    services.minutes_edit(minutes=minutes, by=world.host.user, introduction="", texts={item.pk: "Andra lydelsen."})
    client = client_of(world.host.user)
    listing = client.get(reverse("meetings:minutes_versions", kwargs={"pk": world.meeting.pk})).content.decode()
    assert "Version 3" in listing and "Version 1" in listing
    page = client.get(
        reverse("meetings:minutes_version", kwargs={"pk": world.meeting.pk, "number": 3})
    ).content.decode()
    assert '<del><span class="visually-hidden">Removed: </span>Första lydelsen.</del>' in page
    assert '<ins><span class="visually-hidden">Added: </span>Andra lydelsen.</ins>' in page
    old = client.get(reverse("meetings:minutes_version", kwargs={"pk": world.meeting.pk, "number": 2})).content.decode()
    assert "Första lydelsen." in old


def test_participants_see_the_versions_from_the_circulation_on_not_the_drafts():
    world = World()
    minutes = world.start()
    item = minutes.items.order_by("position").first()
    services.minutes_edit(minutes=minutes, by=None, introduction="", texts={item.pk: "Utkast."})
    services.minutes_circulate(minutes=minutes, by=None, deadline=timezone.now() + datetime.timedelta(days=3))
    client = client_of(world.sv.user)
    listing = client.get(reverse("meetings:minutes_versions", kwargs={"pk": world.meeting.pk})).content.decode()
    assert "Version 3" in listing and "Version 2" not in listing
    draft = reverse("meetings:minutes_version", kwargs={"pk": world.meeting.pk, "number": 2})
    assert client.get(draft).status_code == 404
    assert client_of(world.absent.user).get(draft).status_code == 404
    assert MinutesVersion.objects.filter(minutes=minutes).count() == 3


# --- Who may see what -------------------------------------------------------------------------------------


def test_a_draft_is_seen_only_by_who_writes_it():
    world = World()
    minutes = world.start()
    url = minutes.get_absolute_url()
    assert client_of(world.host.user).get(url).status_code == 200
    assert client_of(staff()).get(url).status_code == 200
    assert client_of(world.sv.user).get(url).status_code == 404
    assert client_of(world.absent.user).get(url).status_code == 404


def test_steering_group_minutes_stay_with_its_seats():
    meeting = held_meeting(kind=Meeting.Kind.STEERING, host=None)
    seat = SteeringGroupSeatFactory().member
    AttendanceFactory(meeting=meeting, member=seat)
    minutes = services.minutes_start(meeting=meeting, by=None)
    services.minutes_circulate(minutes=minutes, by=None, deadline=timezone.now() + datetime.timedelta(days=2))
    pass_deadline(minutes)
    services.minutes_approve(minutes=minutes, by=None)
    services.minutes_publish(minutes=minutes, by=None)
    Decision.objects.create(meeting=meeting, text_sv="Internt styrgruppsbeslut")
    member = client_of(MemberFactory().user)
    for name in ("minutes_detail", "minutes_pdf", "minutes_decisions_csv", "minutes_versions"):
        assert member.get(reverse(f"meetings:{name}", kwargs={"pk": meeting.pk})).status_code == 404, name
    assert client_of(seat.user).get(minutes.get_absolute_url()).status_code == 200
    year = {"year": meeting.year}
    assert "Internt" not in member.get(reverse("meetings:minutes_series_csv", kwargs=year)).content.decode()
    assert str(meeting.year) not in member.get(reverse("meetings:minutes_index")).content.decode()
    assert "Internt" in client_of(seat.user).get(reverse("meetings:minutes_series_csv", kwargs=year)).content.decode()


# --- The rules, as plain functions ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        # view, comment, edit, approve, view the comments
        ("host", (True, True, True, False, True)),
        ("participant", (True, True, False, False, True)),
        ("absent", (True, False, False, False, False)),
        ("applicant", (False, False, False, False, False)),
    ],
)
def test_who_may_do_what_with_circulated_minutes(who, expected):
    from django.contrib.auth.models import AnonymousUser

    from network.tests.factories import ApplicantFactory

    world = World()
    minutes = world.circulated()
    users = {
        "host": world.host.user,
        "participant": world.sv.user,
        "absent": world.absent.user,
        "applicant": ApplicantFactory().user,
    }
    user = users[who]  # staff rights need a second factor in the session: the URL x role matrix has them
    perms = ("view_minutes", "comment_minutes", "edit_minutes", "approve_minutes", "view_minutes_comments")
    assert tuple(user.has_perm(f"meetings.{p}", minutes) for p in perms) == expected
    assert not AnonymousUser().has_perm("meetings.view_minutes", minutes)
    pass_deadline(minutes)
    assert user.has_perm("meetings.approve_minutes", minutes) == (who == "host")
    assert not user.has_perm("meetings.comment_minutes", minutes)


def test_the_backoffice_reads_the_minutes_but_does_not_change_them():
    world = World()
    minutes = world.circulated()
    client = client_of(staff())
    assert client.get(reverse("admin:meetings_minutes_changelist")).status_code == 200
    page = client.get(reverse("admin:meetings_minutes_change", args=[minutes.pk]))
    assert page.status_code == 200 and "Verksamhetsplan 2027" in page.content.decode()
    assert client.get(reverse("admin:meetings_minutes_add")).status_code == 403
