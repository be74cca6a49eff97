"""Decisions and actions: recorded on a meeting, followed up by their owners, in the register."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import Action, Decision, Meeting
from meetings.services import MeetingError
from meetings.tests.factories import AttendanceFactory, ScheduledMeetingFactory, host_contact_of, in_days
from network.models import Member
from network.tests.factories import InstitutionFactory, MemberFactory, StaffUserFactory, activate_totp

pytestmark = pytest.mark.django_db


def held_meeting(**kwargs) -> Meeting:
    return ScheduledMeetingFactory(
        status=Meeting.Status.HELD,
        starts_at=in_days(-10),
        ends_at=in_days(-9, 15),
        registration_deadline=None,
        **kwargs,
    )


def client_of(member) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(member.user)
    return client


def body(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- Services ------------------------------------------------------------------------------------


def test_decision_record_numbers_decisions_in_order():
    meeting = held_meeting()
    staff = StaffUserFactory()
    first = services.decision_record(meeting=meeting, by=staff, text_sv="Nätverket antar strategin.")
    second = services.decision_record(meeting=meeting, by=staff, text_en="The network adopts the budget.")
    assert (first.position, second.position) == (1, 2)
    assert second.text_sv == "" and second.recorded_by == staff


def test_decision_record_refused_before_the_meeting_started():
    meeting = ScheduledMeetingFactory()  # 30 days ahead
    with pytest.raises(MeetingError, match="once the meeting has started"):
        services.decision_record(meeting=meeting, by=StaffUserFactory(), text_sv="För tidigt")
    assert not Decision.objects.exists()


def test_decision_record_refused_at_a_cancelled_meeting():
    meeting = held_meeting()
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    with pytest.raises(MeetingError, match="cancelled"):
        services.decision_record(meeting=meeting, by=StaffUserFactory(), text_sv="Inställt")


def test_decision_needs_a_text_in_one_language():
    with pytest.raises(MeetingError, match="Swedish, English or both"):
        services.decision_record(meeting=held_meeting(), by=StaffUserFactory(), text_sv="  ", text_en="")


def test_decision_text_follows_the_readers_language():
    from django.utils import translation

    decision = Decision(text_sv="Beslut", text_en="Decision")
    only_sv = Decision(text_sv="Bara svenska")
    with translation.override("en"):
        assert (decision.text, only_sv.text) == ("Decision", "Bara svenska")
    with translation.override("sv"):
        assert decision.text == "Beslut"


def test_action_record_with_a_member_owner_due_by_the_next_meeting():
    meeting = held_meeting()
    later = ScheduledMeetingFactory(year=meeting.year + 1)
    owner = MemberFactory()
    action = services.action_record(
        meeting=meeting, by=StaffUserFactory(), text="Skriv remissvar", owner_member=owner, due_meeting=later
    )
    assert action.status == Action.Status.OPEN and action.owner_name == owner.full_name


@pytest.mark.parametrize(
    "change, message",
    [
        ({"owner_member": None}, "one owner"),
        ({"owner_institution": "institution"}, "one owner"),
        ({"due_on": None}, "due by"),
        ({"due_on": "before"}, "cannot be before"),
        ({"text": "   "}, "what is to be done"),
    ],
)
def test_action_record_refuses_bad_input(change, message):
    meeting = held_meeting()
    kwargs = {"text": "Gör något", "owner_member": MemberFactory(), "due_on": timezone.localdate()}
    kwargs.update(change)
    if kwargs.get("owner_institution") == "institution":
        kwargs["owner_institution"] = InstitutionFactory()
    if kwargs.get("due_on") == "before":
        kwargs["due_on"] = timezone.localdate(meeting.starts_at) - datetime.timedelta(days=1)
    with pytest.raises(MeetingError, match=f"(?i){message}"):
        services.action_record(meeting=meeting, by=StaffUserFactory(), **kwargs)
    assert not Action.objects.exists()


def test_action_cannot_be_due_by_the_same_or_an_earlier_meeting():
    meeting = held_meeting()
    earlier = ScheduledMeetingFactory(
        year=meeting.year - 1,
        status=Meeting.Status.MINUTES_PUBLISHED,
        starts_at=in_days(-200),
        ends_at=in_days(-200, 15),
        registration_deadline=None,
    )
    for due in (meeting, earlier):
        with pytest.raises(MeetingError, match="later meeting"):
            services.action_record(
                meeting=meeting, by=StaffUserFactory(), text="x", owner_member=MemberFactory(), due_meeting=due
            )


def test_an_open_meetings_action_is_never_due_by_a_steering_meeting_but_a_steering_meetings_may_be():
    meeting = held_meeting()
    steering = ScheduledMeetingFactory(kind=Meeting.Kind.STEERING, host=None)  # ahead of the held one
    owner = MemberFactory()
    with pytest.raises(MeetingError, match="steering-group meeting"):
        services.action_record(
            meeting=meeting, by=None, text="Till styrgruppen", owner_member=owner, due_meeting=steering
        )
    assert not Action.objects.exists()
    at_steering = held_meeting(kind=Meeting.Kind.STEERING, host=None)
    action = services.action_record(
        meeting=at_steering, by=None, text="Till nästa styrgruppsmöte", owner_member=owner, due_meeting=steering
    )
    assert action.due_meeting == steering


def test_action_owner_must_be_an_active_member():
    departed = MemberFactory(status=Member.Status.LEFT)
    with pytest.raises(MeetingError, match="not an active member"):
        services.action_record(
            meeting=held_meeting(), by=StaffUserFactory(), text="x", owner_member=departed, due_on=timezone.localdate()
        )


def make_action(meeting=None, **kwargs) -> Action:
    meeting = meeting or held_meeting()
    kwargs.setdefault("owner_member", MemberFactory())
    kwargs.setdefault("due_on", timezone.localdate() + datetime.timedelta(days=30))
    return services.action_record(meeting=meeting, by=StaffUserFactory(), text=kwargs.pop("text", "Följ upp"), **kwargs)


def test_action_set_status_done_closes_and_open_again_reopens():
    action = make_action()
    done = services.action_set_status(action=action, by=None, status=Action.Status.DONE, outcome="Skickat")
    assert done.closed_at is not None and done.outcome == "Skickat"
    reopened = services.action_set_status(action=done, by=None, status=Action.Status.OPEN, outcome="")
    assert reopened.closed_at is None and reopened.status == Action.Status.OPEN


def test_dropping_an_action_needs_an_outcome():
    action = make_action()
    with pytest.raises(MeetingError, match="why the action is dropped"):
        services.action_set_status(action=action, by=None, status=Action.Status.DROPPED)
    action.refresh_from_db()
    assert action.status == Action.Status.OPEN


def test_action_update_changes_owner_to_an_institution():
    action = make_action()
    institution = InstitutionFactory()
    updated = services.action_update(
        action=action, by=None, text="Nytt", owner_institution=institution, due_on=action.due_on
    )
    assert (updated.owner_member, updated.owner_institution, updated.text) == (None, institution, "Nytt")


# --- Rules ---------------------------------------------------------------------------------------


def test_who_may_record_and_update():
    meeting = held_meeting()
    host = host_contact_of(meeting)
    other = MemberFactory()
    staff = StaffUserFactory()
    activate_totp(staff)  # staff rights need a second factor
    assert host.user.has_perm("meetings.record_decisions", meeting)
    assert staff.has_perm("meetings.record_decisions", meeting)
    assert not other.user.has_perm("meetings.record_decisions", meeting)
    owner = MemberFactory()
    colleague = MemberFactory(institution=owner.institution)
    mine = make_action(meeting, owner_member=owner)
    institutions = make_action(meeting, owner_member=None, owner_institution=owner.institution)
    assert owner.user.has_perm("meetings.update_action", mine)
    assert not colleague.user.has_perm("meetings.update_action", mine)
    assert colleague.user.has_perm("meetings.update_action", institutions)
    assert host.user.has_perm("meetings.update_action", mine)
    assert not other.user.has_perm("meetings.update_action", mine)


def test_a_departed_owner_may_no_longer_update():
    owner = MemberFactory()
    action = make_action(owner_member=owner)
    owner.status = Member.Status.LEFT
    owner.save()
    assert not owner.user.has_perm("meetings.update_action", action)


# --- Views ---------------------------------------------------------------------------------------


def test_host_records_a_decision_and_every_member_sees_it_at_once(member):
    meeting = held_meeting()
    reader = client_of(member)
    assert "No decisions are recorded." in body(reader.get(meeting.get_absolute_url()))  # fills the cache
    host = client_of(host_contact_of(meeting))
    response = host.post(
        reverse("meetings:decision_add", args=[meeting.pk]), {"text_sv": "Årsmötet flyttas till maj.", "text_en": ""}
    )
    assert response.status_code == 302
    page = body(reader.get(meeting.get_absolute_url()))
    assert "Årsmötet flyttas till maj." in page
    assert reverse("meetings:decision_add", args=[meeting.pk]) not in page  # no recording tools for her


def test_decision_form_without_text_rerenders_with_an_error():
    meeting = held_meeting()
    host = client_of(host_contact_of(meeting))
    page = body(host.post(reverse("meetings:decision_add", args=[meeting.pk]), {"text_sv": " ", "text_en": ""}))
    assert "Write the decision in Swedish, English or both." in page
    assert not Decision.objects.exists()


def test_recording_before_the_meeting_is_refused_with_the_users_data_kept():
    meeting = ScheduledMeetingFactory()
    host = client_of(host_contact_of(meeting))
    page = body(host.post(reverse("meetings:decision_add", args=[meeting.pk]), {"text_sv": "Mitt förslag"}))
    assert "once the meeting has started" in page and "Mitt förslag" in page


def test_unknown_decision_or_action_answers_404():
    meeting = held_meeting()
    host = client_of(host_contact_of(meeting))
    assert host.get(reverse("meetings:decision_edit", args=[meeting.pk, 999999])).status_code == 404
    assert host.get(reverse("meetings:action_edit", args=[meeting.pk, 999999])).status_code == 404
    assert host.get(reverse("meetings:action_status", args=[999999])).status_code == 404


def test_an_action_of_another_meeting_is_not_edited_through_this_one():
    meeting, other = held_meeting(), held_meeting()
    action = make_action(other)
    host = client_of(host_contact_of(meeting))
    assert host.get(reverse("meetings:action_edit", args=[meeting.pk, action.pk])).status_code == 404


def test_host_edits_and_removes_a_decision():
    meeting = held_meeting()
    decision = services.decision_record(meeting=meeting, by=None, text_sv="Gammal lydelse")
    host = client_of(host_contact_of(meeting))
    url = reverse("meetings:decision_edit", args=[meeting.pk, decision.pk])
    assert "Gammal lydelse" in body(host.get(url))
    host.post(url, {"text_sv": "Ny lydelse", "text_en": "New wording"})
    decision.refresh_from_db()
    assert (decision.text_sv, decision.text_en) == ("Ny lydelse", "New wording")
    host.post(url, {"delete": "1"})
    assert not Decision.objects.exists()


def test_host_records_an_action_for_an_institution():
    meeting = held_meeting()
    owner = InstitutionFactory(name="Umeå universitet")
    contact = host_contact_of(meeting)
    host = client_of(contact)
    response = host.post(
        reverse("meetings:action_add", args=[meeting.pk]),
        {"text": "Bjud in till workshop", "owner_institution": owner.pk, "due_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert action.owner_institution == owner and action.recorded_by == contact.user
    page = body(host.get(meeting.get_absolute_url()))
    assert "Bjud in till workshop" in page and "Umeå universitet" in page


def test_action_form_with_two_owners_rerenders_with_an_error():
    meeting = held_meeting()
    host = client_of(host_contact_of(meeting))
    page = body(
        host.post(
            reverse("meetings:action_add", args=[meeting.pk]),
            {
                "text": "Båda",
                "owner_institution": meeting.host.pk,
                "owner_member": MemberFactory().pk,
                "due_on": "2040-01-01",
            },
        )
    )
    assert "Choose one owner: a member or an institution." in page and "Båda" in page
    assert not Action.objects.exists()


def test_owner_closes_her_action_from_her_home_page():
    owner = MemberFactory()
    action = make_action(text="Sammanställ enkätsvaren", owner_member=owner)
    client = client_of(owner)
    home = body(client.get(reverse("home")))
    assert "Your open actions" in home and "Sammanställ enkätsvaren" in home
    url = reverse("meetings:action_status", args=[action.pk])
    assert 'name="from" value="home"' in body(client.get(url + "?from=home"))
    response = client.post(url, {"status": "done", "outcome": "Klart i oktober", "from": "home"})
    assert response.status_code == 302 and response.url == reverse("home")
    home = body(client.get(reverse("home")))
    assert f"Welcome, {owner.user.first_name}" in home  # her home page, without the closed action
    assert "Sammanställ enkätsvaren" not in home
    action.refresh_from_db()
    assert action.status == Action.Status.DONE and action.outcome == "Klart i oktober"


def test_institution_action_shows_on_every_colleagues_home_page():
    owner = MemberFactory()
    make_action(text="Utse en kontaktperson", owner_member=None, owner_institution=owner.institution)
    colleague = MemberFactory(institution=owner.institution)
    assert "Utse en kontaktperson" in body(client_of(colleague).get(reverse("home")))
    stranger = MemberFactory()
    home = body(client_of(stranger).get(reverse("home")))
    assert f"Welcome, {stranger.user.first_name}" in home
    assert "Utse en kontaktperson" not in home


def test_dropping_without_outcome_rerenders_with_the_error():
    owner = MemberFactory()
    action = make_action(owner_member=owner)
    page = body(client_of(owner).post(reverse("meetings:action_status", args=[action.pk]), {"status": "dropped"}))
    assert "Say briefly why the action is dropped." in page


# --- The next meeting's agenda -------------------------------------------------------------------


def test_next_meeting_agenda_lists_open_actions_due_by_it(member):
    meeting = held_meeting()
    nxt = ScheduledMeetingFactory(year=meeting.year + 1)
    make_action(meeting, text="Due by the next meeting", due_meeting=nxt, due_on=None)
    make_action(meeting, text="Due by a date before it", due_on=timezone.localdate(nxt.starts_at))
    make_action(
        meeting, text="Due long after it", due_on=timezone.localdate(nxt.starts_at) + datetime.timedelta(days=90)
    )
    done = make_action(meeting, text="Already done", due_meeting=nxt, due_on=None)
    services.action_set_status(action=done, by=None, status=Action.Status.DONE)
    page = body(client_of(member).get(nxt.get_absolute_url()))
    agenda = page.split('id="follow-up"')[1].split("</ol>")[0]
    assert "Due by the next meeting" in agenda and "Due by a date before it" in agenda
    assert "Due long after it" not in agenda and "Already done" not in agenda


def test_follow_up_item_is_gone_once_the_action_is_done(member):
    meeting = held_meeting()
    nxt = ScheduledMeetingFactory(year=meeting.year + 1)
    action = make_action(meeting, text="Rapportera läget", due_meeting=nxt, due_on=None)
    reader = client_of(member)
    assert 'id="follow-up"' in body(reader.get(nxt.get_absolute_url()))
    services.action_set_status(action=action, by=None, status=Action.Status.DONE)
    page = body(reader.get(nxt.get_absolute_url()))
    assert nxt.display_title in page and nxt.venue in page  # the meeting page, without the follow-up list
    assert 'id="follow-up"' not in page


# --- The register -----------------------------------------------------------------------------------


def test_register_filters_by_status_institution_and_search(member):
    meeting = held_meeting(title="Höstmötet i Luleå")
    kth = InstitutionFactory(name="Kungliga Tekniska högskolan")
    make_action(meeting, text="Översätt rapporten", owner_member=MemberFactory(institution=kth))
    make_action(meeting, text="Boka lokal", owner_member=None, owner_institution=kth)
    closed = make_action(meeting, text="Skicka protokollet")
    services.action_set_status(action=closed, by=None, status=Action.Status.DONE)
    reader = client_of(member)
    url = reverse("meetings:action_register")
    everything = body(reader.get(url))
    assert "3 actions" in everything and "Höstmötet i Luleå" in everything
    by_institution = body(reader.get(url, {"institution": kth.pk}))
    assert "Översätt rapporten" in by_institution and "Boka lokal" in by_institution
    assert "Skicka protokollet" not in by_institution
    done = body(reader.get(url, {"status": "done"}))
    assert "Skicka protokollet" in done and "Boka lokal" not in done
    assert "1 action" in body(reader.get(url, {"q": "översätt"}))


def test_register_shows_a_new_action_at_once(member):
    reader = client_of(member)
    url = reverse("meetings:action_register")
    assert "0 actions" in body(reader.get(url))
    make_action(text="Ny åtgärd")
    assert "Ny åtgärd" in body(reader.get(url))


def test_register_exports_csv_and_excel_with_the_filters(member):
    meeting = held_meeting()
    make_action(meeting, text="=HYPERLINK(evil)")
    make_action(meeting, text="Stängd åtgärd", owner_member=MemberFactory())
    services.action_set_status(action=Action.objects.get(text="Stängd åtgärd"), by=None, status="done")
    reader = client_of(member)
    csv = reader.get(reverse("meetings:action_export"), {"format": "csv", "status": "open"})
    text = csv.content.decode("utf-8")
    assert csv["Content-Type"].startswith("text/csv")
    assert "'=HYPERLINK(evil)" in text and "Stängd åtgärd" not in text
    xlsx = reader.get(reverse("meetings:action_export"), {"format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert reader.get(reverse("meetings:action_export"), {"format": "pdf"}).status_code == 404


def test_decision_register_filters_by_meeting_and_exports(member):
    first, second = held_meeting(title="Vårmötet"), held_meeting(title="Höstmötet")
    services.decision_record(meeting=first, by=None, text_sv="Beslut om budget")
    services.decision_record(meeting=second, by=None, text_sv="Beslut om tema")
    reader = client_of(member)
    page = body(reader.get(reverse("meetings:decision_register"), {"meeting": first.pk}))
    assert "Beslut om budget" in page and "Beslut om tema" not in page
    csv = reader.get(reverse("meetings:decision_export"), {"format": "csv", "q": "tema"}).content.decode()
    assert "Beslut om tema" in csv and "Beslut om budget" not in csv


# --- Who actually came ---------------------------------------------------------------------------------


def test_host_marks_who_came_including_someone_who_had_not_registered(client):
    meeting = held_meeting()
    came = AttendanceFactory(meeting=meeting).member
    stayed_away = AttendanceFactory(meeting=meeting).member
    walk_in = MemberFactory()
    host = client_of(host_contact_of(meeting))
    url = reverse("meetings:attendance_mark", args=[meeting.pk])
    form = body(host.get(url))
    assert came.full_name in form and walk_in.full_name in form
    response = host.post(url, {"present": [came.pk], "others": [walk_in.pk]})
    assert response.status_code == 302
    marks = dict(meeting.attendances.values_list("member_id", "attended"))
    assert marks == {came.pk: True, stayed_away.pk: False, walk_in.pk: True}


def test_attendance_cannot_be_marked_before_the_meeting():
    meeting = ScheduledMeetingFactory()
    with pytest.raises(MeetingError, match="once the meeting has started"):
        services.attendance_mark(meeting=meeting, by=None, present=[])


def test_participation_page_shows_which_institutions_were_at_the_table(member):
    from meetings.selectors import participation_register

    lund, umea = InstitutionFactory(short_name="LU"), InstitutionFactory(short_name="UmU")
    marked = held_meeting()
    registered_only = ScheduledMeetingFactory(
        status=Meeting.Status.MINUTES_PUBLISHED,
        starts_at=in_days(-200),
        ends_at=in_days(-199),
        registration_deadline=None,
    )
    AttendanceFactory(meeting=marked, member=MemberFactory(institution=lund))
    AttendanceFactory(meeting=marked, member=MemberFactory(institution=umea))
    AttendanceFactory(meeting=registered_only, member=MemberFactory(institution=umea))
    reader = client_of(member)
    assert "Was every institution at the table?" in body(reader.get(reverse("meetings:participation")))
    services.attendance_mark(meeting=marked, by=None, present=[Member.objects.get(institution=lund)])
    register = participation_register()
    assert [m.pk for m in register.meetings] == [registered_only.pk, marked.pk]
    assert register.marked == [False, True]
    rows = {row.institution.short_name: row.present for row in register.rows}
    assert rows["LU"] == [False, True] and rows["UmU"] == [True, False]
    page = body(reader.get(reverse("meetings:participation")))  # the marks show at once
    table = page.split('id="participation-heading"')[1]
    lu_row = table.split(">LU</th>")[1].split("</tr>")[0]
    assert lu_row.count("absent") == 1 and lu_row.count("present") == 1 and "1/2" in lu_row


# --- The backoffice ------------------------------------------------------------------------------------


def test_admin_lists_filters_and_closes_actions(staff_client):
    action = make_action(text="Skicka inbjudan")
    other = make_action(text="Boka lokal")
    changelist = reverse("admin:meetings_action_changelist")
    page = body(staff_client.get(changelist, {"status__exact": "open", "q": "inbjudan"}))
    assert "Skicka inbjudan" in page and "Boka lokal" not in page
    assert body(staff_client.get(reverse("admin:meetings_action_change", args=[action.pk])))
    response = staff_client.post(
        changelist, {"action": "mark_done", "_selected_action": [action.pk, other.pk]}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 302
    assert set(Action.objects.values_list("status", flat=True)) == {Action.Status.DONE}
    decision = services.decision_record(meeting=action.meeting, by=None, text_sv="Ett beslut")
    assert "Ett beslut" in body(staff_client.get(reverse("admin:meetings_decision_changelist"), {"q": "beslut"}))
    assert body(staff_client.get(reverse("admin:meetings_decision_change", args=[decision.pk])))
