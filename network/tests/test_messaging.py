"""Messages to members: filters, language, outbox rows, double sending, query counts (network/messages/messaging.py).
The meeting-answer filter and the host's scope: meetings/tests/test_messaging.py. A real worker and
SMTP server: test_messaging_worker.py."""

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from network.messages import messaging
from network.models import Delivery, Member, Message, MessageRecipient
from network.outbox.worker import DELIVERY_HEADER
from network.tests.factories import (
    InstitutionFactory,
    MemberFactory,
    SteeringGroupSeatFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def send(by, filters=None, token=None, **text):
    text = {"subject_sv": "Hej", "body_sv": "Välkomna.", **text}
    return messaging.message_send(by=by, token=token or uuid.uuid4(), filters=filters or {}, **text)


def recipients(filters, scope=None) -> set[Member]:
    return set(messaging.message_recipients(filters=filters, scope=scope))


@pytest.fixture
def staff(staff_user):
    return staff_user  # staff with a second factor, as staff rights need


# --- Who gets it ---------------------------------------------------------------------------------


def test_recipients_are_only_active_members():
    kth = InstitutionFactory()
    approved = MemberFactory(institution=kth)
    MemberFactory(institution=kth, status=Member.Status.APPLICANT)
    MemberFactory(institution=kth, status=Member.Status.UNVERIFIED)
    MemberFactory(institution=kth, status=Member.Status.LEFT)
    MemberFactory(institution=kth, status=Member.Status.REJECTED)
    MemberFactory(institution=kth, user=UserFactory(is_active=False))
    MemberFactory(institution=InstitutionFactory(left_on=datetime.date(2020, 1, 1)))
    assert recipients({}) == {approved}


def test_excluded_people_are_counted_by_reason():
    kth = InstitutionFactory()
    MemberFactory(institution=kth)
    MemberFactory(institution=kth, status=Member.Status.UNVERIFIED)
    MemberFactory(institution=kth, status=Member.Status.APPLICANT)
    MemberFactory(institution=kth, status=Member.Status.APPLICANT)
    MemberFactory(institution=kth, status=Member.Status.LEFT)
    MemberFactory(institution=kth, user=UserFactory(is_active=False))
    MemberFactory(institution=InstitutionFactory(left_on=datetime.date(2020, 1, 1)))
    excluded = messaging.message_excluded(filters={"institutions": {"institutions": [kth.pk]}})
    assert (excluded.unverified, excluded.applicant, excluded.left, excluded.login_closed) == (1, 2, 1, 1)
    assert excluded.institution_left == 0  # the other institution is not in the filter
    assert messaging.message_excluded(filters={}).institution_left == 1
    with translation.override("en"):
        assert (2, "waiting for approval") in excluded.reasons()


def test_institution_filter_selects_exactly_its_members():
    kth, liu, mau = InstitutionFactory(), InstitutionFactory(), InstitutionFactory()
    a, b = MemberFactory(institution=kth), MemberFactory(institution=liu)
    MemberFactory(institution=mau)
    assert recipients({"institutions": {"institutions": [kth.pk, liu.pk]}}) == {a, b}


def test_role_filter_selects_exactly_those_roles():
    rector = MemberFactory(role=Member.Role.VICE_RECTOR)
    head = MemberFactory(role=Member.Role.HEAD_OFFICE)
    MemberFactory(role=Member.Role.COORDINATOR)
    assert recipients({"roles": {"roles": ["vice_rector", "head_office"]}}) == {rector, head}


def test_steering_group_filter_uses_current_seats_only():
    chair = SteeringGroupSeatFactory(role="chair").member
    seat = SteeringGroupSeatFactory().member
    former = SteeringGroupSeatFactory(ends_on=datetime.date(2024, 6, 30)).member
    outside = MemberFactory()
    assert recipients({"steering": {"steering": "seat"}}) == {chair, seat}
    assert recipients({"steering": {"steering": "chair"}}) == {chair}
    assert recipients({"steering": {"steering": "no_seat"}}) == {former, outside}


def test_filters_combine():
    kth = InstitutionFactory()
    wanted = MemberFactory(institution=kth, role=Member.Role.VICE_RECTOR)
    SteeringGroupSeatFactory(member=wanted)
    MemberFactory(institution=kth, role=Member.Role.VICE_RECTOR)  # not on the steering group
    SteeringGroupSeatFactory(member=MemberFactory(institution=kth, role=Member.Role.COORDINATOR))
    filters = {
        "institutions": {"institutions": [kth.pk]},
        "roles": {"roles": ["vice_rector"]},
        "steering": {"steering": "seat"},
    }
    assert recipients(filters) == {wanted}


@pytest.mark.parametrize("size", [3, 30])
def test_recipient_query_is_one_query_at_any_size(size):
    kth = InstitutionFactory()
    for i in range(size):
        member = MemberFactory(institution=kth)
        if i % 2:
            SteeringGroupSeatFactory(member=member)
    filters = {"institutions": {"institutions": [kth.pk]}, "steering": {"steering": "seat"}}
    with CaptureQueriesContext(connection) as queries:
        found = list(messaging.message_recipients(filters=filters))
        names = [(m.full_name, m.email, m.institution.name) for m in found]
    assert len(names) == size // 2
    assert len(queries) == 1


# --- Language --------------------------------------------------------------------------------------


def test_each_recipient_gets_her_language_when_both_are_written(staff):
    swede, english = MemberFactory(language="sv"), MemberFactory(language="en")
    message, _ = send(staff, subject_en="Hello", body_en="Welcome.")
    languages = dict(MessageRecipient.objects.filter(message=message).values_list("member", "language"))
    assert languages == {swede.pk: "sv", english.pk: "en"}


def test_swedish_only_goes_to_everyone_in_swedish(staff, mailoutbox, django_capture_on_commit_callbacks):
    english = MemberFactory(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        message, _ = send(staff)
    assert MessageRecipient.objects.get(message=message, member=english).language == "sv"
    assert mailoutbox[0].subject.endswith("Hej")
    # Swedish from greeting to footer, not a Swedish text in an English frame.
    [hers] = [m for m in mailoutbox if m.to == [english.email]]
    html = hers.alternatives[0][0]
    assert 'lang="sv"' in html and "det svenska nätverket" in html and "the Swedish network" not in html


def test_english_recipient_receives_the_english_version(staff, mailoutbox, django_capture_on_commit_callbacks):
    english = MemberFactory(language="en")
    MemberFactory(language="sv")
    with django_capture_on_commit_callbacks(execute=True):
        send(staff, subject_en="Hello", body_en="Welcome.")
    by_address = {m.to[0]: m for m in mailoutbox}
    assert by_address[english.email].subject.endswith("Hello")
    assert "Welcome." in by_address[english.email].body
    assert "Välkomna." not in by_address[english.email].body


# --- Sending through the outbox -----------------------------------------------------------------


def test_send_records_the_message_and_one_delivery_per_recipient(staff, django_capture_on_commit_callbacks):
    members = [MemberFactory() for _ in range(3)]
    with django_capture_on_commit_callbacks() as callbacks:
        message, created = send(staff, filters={})
    assert created
    assert (message.created_by, message.sent_at is not None) == (staff, True)
    deliveries = Delivery.objects.filter(kind="member_message", object_key=f"network.message:{message.pk}")
    assert {d.recipient for d in deliveries} == set(members)
    assert set(deliveries.values_list("status", flat=True)) == {"queued"}
    assert set(MessageRecipient.objects.filter(message=message).values_list("delivery", flat=True)) == {
        d.pk for d in deliveries
    }
    assert len(callbacks) == 1  # handed to the worker only after commit, never from the request


def test_worker_sends_each_delivery_with_an_escaped_html_part(staff, mailoutbox, django_capture_on_commit_callbacks):
    member = MemberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        message, _ = send(staff, body_sv="Rad ett\n<script>alert(1)</script> & <b>fet</b>\nhttps://kloss-net.se")
    (email,) = mailoutbox
    html = email.alternatives[0][0]
    assert email.to == [member.email]
    assert email.extra_headers[DELIVERY_HEADER] == str(message.recipients.get().delivery_id)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&lt;b&gt;fet&lt;/b&gt;" in html
    assert "Rad ett<br>" in html
    assert '<a href="https://kloss-net.se"' in html
    assert "<script>alert(1)</script> & <b>fet</b>" in email.body  # the text part is the text as written
    assert Delivery.objects.get(recipient=member, kind="member_message").status == "sent"


def test_sending_twice_with_the_same_token_mails_nobody_again(staff, mailoutbox, django_capture_on_commit_callbacks):
    MemberFactory()
    MemberFactory()
    token = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        first, created_first = send(staff, token=token)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second, created_second = send(staff, token=token)
    assert (created_first, created_second) == (True, False)
    assert first == second
    assert Message.objects.count() == 1
    assert Delivery.objects.filter(kind="member_message").count() == 2
    assert len(mailoutbox) == 2
    assert callbacks == []


def test_send_refuses_an_empty_audience_and_half_an_english_version(staff):
    with translation.override("en"), pytest.raises(messaging.MessagingError, match="No member matches"):
        send(staff)
    MemberFactory()
    with translation.override("en"), pytest.raises(messaging.MessagingError, match="English subject and text"):
        send(staff, subject_en="Hello")
    assert not Message.objects.exists()


def test_send_refuses_someone_who_may_not_write(db):
    writer = MemberFactory().user
    with translation.override("en"), pytest.raises(messaging.MessagingError, match="may not write"):
        send(writer)
    assert not Delivery.objects.filter(kind="member_message").exists()


def test_a_recipient_who_leaves_before_sending_is_skipped(staff, mailoutbox, django_capture_on_commit_callbacks):
    leaving, staying = MemberFactory(), MemberFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send(staff)
    Member.objects.filter(pk=leaving.pk).update(status=Member.Status.LEFT)
    for callback in callbacks:
        callback()
    assert [m.to for m in mailoutbox] == [[staying.email]]
    assert Delivery.objects.get(recipient=leaving, kind="member_message").status == "skipped"


def test_send_takes_the_same_number_of_queries_for_5_and_40_recipients(staff, django_capture_on_commit_callbacks):
    counts = {}
    for size in (5, 40):
        institution = InstitutionFactory()
        for _ in range(size):
            MemberFactory(institution=institution)
        with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks():
            message, _ = send(staff, filters={"institutions": {"institutions": [institution.pk]}})
        assert message.recipients.count() == size
        counts[size] = len(queries)
    assert counts[5] == counts[40], counts


# --- Permissions (rules predicates, as plain functions) ---------------------------------------------


def test_only_the_secretariat_may_message_any_members(staff):
    member = MemberFactory()
    assert staff.has_perm("network.message_members")
    assert not member.user.has_perm("network.message_members")
    assert messaging.may_write(staff, None) and not messaging.may_write(member.user, None)


def test_a_message_is_seen_by_the_secretariat_and_its_writer_only(staff):
    writer, other = MemberFactory().user, MemberFactory().user
    message = Message.objects.create(subject_sv="Hej", body_sv="Hej", created_by=writer, token=uuid.uuid4())
    assert writer.has_perm("network.view_message", message)
    assert staff.has_perm("network.view_message", message)
    assert not other.has_perm("network.view_message", message)


# --- The compose steps (the rules the compose view asks) ---------------------------------------


@pytest.mark.parametrize(
    "action, valid, token, step",
    [
        ("edit", True, uuid.UUID(int=1), messaging.ComposeStep.FORM),
        ("count", True, None, messaging.ComposeStep.FORM),
        ("preview", False, None, messaging.ComposeStep.FORM),
        ("send", False, uuid.UUID(int=1), messaging.ComposeStep.FORM),
        ("preview", True, None, messaging.ComposeStep.PREVIEW),
        ("send", True, None, messaging.ComposeStep.PREVIEW),  # never sent without a preview's token
        ("", True, uuid.UUID(int=1), messaging.ComposeStep.PREVIEW),
        ("send", True, uuid.UUID(int=1), messaging.ComposeStep.SEND),
    ],
)
def test_compose_step_sends_only_a_valid_form_with_its_previews_token(action, valid, token, step):
    assert messaging.message_compose_step(action=action, valid=valid, token=token) is step


def test_draft_lists_the_recipients_keeps_its_token_and_writes_nothing(staff):
    kth = InstitutionFactory()
    chosen = MemberFactory(institution=kth)
    MemberFactory(institution=kth, status=Member.Status.APPLICANT)
    MemberFactory()  # another institution
    filters = {"institutions": {"institutions": [kth.pk]}}
    text = {"subject_sv": "Hej", "body_sv": "Välkomna.", "subject_en": "", "body_en": ""}
    draft = messaging.message_draft(by=staff, filters=filters, **text)
    assert draft.recipients == [chosen] and draft.excluded.applicant == 1
    assert [preview["language"] for preview in draft.previews] == ["sv"] and "Hej" in draft.previews[0]["subject"]
    again = messaging.message_draft(by=staff, filters=filters, token=draft.token, **text)
    assert again.token == draft.token  # previewed again: the same message, sent once
    assert messaging.message_draft(by=staff, filters=filters, **text).token != draft.token
    assert not Message.objects.exists() and not Delivery.objects.exists()


def test_send_refuses_when_the_recipients_changed_since_the_preview(staff):
    kth = InstitutionFactory()
    MemberFactory(institution=kth)
    filters = {"institutions": {"institutions": [kth.pk]}}
    draft = messaging.message_draft(by=staff, filters=filters, subject_sv="Hej", body_sv="Välkomna.")
    MemberFactory(institution=kth)  # joined after the preview
    token = draft.token
    with pytest.raises(messaging.RecipientsChanged):
        send(staff, filters=filters, token=token, expected=len(draft.recipients))
    assert not Message.objects.exists() and not Delivery.objects.exists()
    message, created = send(staff, filters=filters, token=token, expected=2)  # previewed again: 2
    assert created and message.recipients.count() == 2


def test_send_of_a_used_token_returns_the_message_whatever_the_count(staff):
    kth = InstitutionFactory()
    MemberFactory(institution=kth)
    filters = {"institutions": {"institutions": [kth.pk]}}
    token = uuid.uuid4()
    first, _created = send(staff, filters=filters, token=token, expected=1)
    MemberFactory(institution=kth)
    again, created = send(staff, filters=filters, token=token, expected=1)
    assert (again, created) == (first, False)
    assert Delivery.objects.count() == 1


def test_reach_counts_the_recipients_and_those_left_out():
    kth = InstitutionFactory()
    MemberFactory(institution=kth)
    MemberFactory(institution=kth, status=Member.Status.LEFT)
    count, excluded = messaging.message_reach(filters={"institutions": {"institutions": [kth.pk]}})
    assert (count, excluded.left, excluded.total) == (1, 1, 1)


def test_count_is_unknown_while_a_filter_is_wrong_and_ignores_missing_text():
    from network.messages.forms import MessageForm

    kth = InstitutionFactory()
    assert MessageForm().counted_filters() == {}
    assert MessageForm(data={"institutions": [kth.pk]}).counted_filters() == {
        "institutions": {"institutions": [kth.pk]}
    }
    assert MessageForm(data={"institutions": ["not a number"]}).counted_filters() is None
