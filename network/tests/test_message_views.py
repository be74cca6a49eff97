"""The secretariat's pages of messages to members: compose, live count, preview, send, record, admin.
(Every role's access: the URL x role matrix; the host's page: meetings/tests/test_messaging.py.)"""

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from network.messages import messaging
from network.models import Delivery, Member, Message
from network.tests.factories import InstitutionFactory, MemberFactory, StaffUserFactory, activate_totp, login

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
COMPOSE = reverse("network:message_create")


@pytest.fixture
def staff_en(client, staff_user):
    login(client, staff_user)
    client.cookies["django_language"] = "en"
    return client


def text(**extra):
    return {
        "subject_sv": "Höstens möte",
        "body_sv": "Hej!\nVälkomna till mötet.",
        "subject_en": "The autumn meeting",
        "body_en": "Hello!\nWelcome to the meeting.",
        **extra,
    }


def test_compose_page_shows_the_filters_and_how_many_would_get_it(staff_en):
    kth = InstitutionFactory(name="Kungliga Tekniska högskolan")
    MemberFactory(institution=kth)
    MemberFactory(institution=kth)
    MemberFactory(institution=kth, status=Member.Status.APPLICANT)
    response = staff_en.get(COMPOSE)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kungliga Tekniska högskolan" in page  # institutions to choose from
    assert 'name="roles"' in page and 'name="steering"' in page
    assert 'name="meeting"' in page and 'name="answer"' in page  # contributed by meetings
    assert "2 members will get this message." in page
    assert "waiting for approval: 1" in page


def test_live_count_follows_the_filters(staff_en):
    kth, liu = InstitutionFactory(), InstitutionFactory()
    MemberFactory(institution=kth)
    MemberFactory(institution=liu)
    MemberFactory(institution=liu)
    response = staff_en.get(COMPOSE, {"count": "1", "institutions": [liu.pk]})
    assert response.status_code == 200
    assert "2 members will get this message." in response.content.decode()
    assert "<html" not in response.content.decode()  # a fragment for the page's script
    without_js = staff_en.post(COMPOSE, {"action": "count", "institutions": [kth.pk], **text()})
    assert "1 member will get this message." in without_js.content.decode()
    assert not Message.objects.exists()


def test_preview_shows_both_languages_and_the_recipients_and_sends_nothing(staff_en, mailoutbox):
    kth = InstitutionFactory(name="KTH")
    anna = MemberFactory(institution=kth, user__first_name="Anna", user__last_name="Lind", language="en")
    MemberFactory(institution=InstitutionFactory())  # not chosen
    response = staff_en.post(
        COMPOSE, {"action": "preview", "institutions": [kth.pk], **text(body_sv="<b>fet</b>\nrad två")}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Preview of your message" in page
    assert "1 recipient" in page and "Anna Lind" in page
    assert "Institutions: KTH" in page
    assert "The autumn meeting" in page and "Höstens möte" in page
    assert "&lt;b&gt;fet&lt;/b&gt;" in page and "<b>fet</b>" not in page  # escaped, twice over in the iframe
    assert 'name="token"' in page and 'name="expected" value="1"' in page
    assert f'name="institutions" value="{kth.pk}"' in page
    assert not Message.objects.exists() and mailoutbox == []
    assert anna.pk  # the recipient exists only as shown


def test_bad_input_renders_the_form_again_with_her_text_and_translated_errors(staff_en):
    kth = MemberFactory().institution
    response = staff_en.post(
        COMPOSE,
        {"action": "preview", "institutions": [kth.pk], "roles": ["head_office"], **text(subject_sv="", body_en="")},
    )
    page = response.content.decode()
    assert f'value="{kth.pk}" id="id_institutions_0" checked' in page or f'value="{kth.pk}" checked' in page
    assert 'value="head_office" id="id_roles_2" checked' in page
    assert response.status_code == 200
    assert "This field is required." in page
    assert "Write the English text too, or leave the English subject empty." in page
    assert "Hej!\nVälkomna till mötet." in page  # what she wrote is still there
    assert "The autumn meeting" in page
    assert not Message.objects.exists()


def test_send_records_and_queues_and_a_second_submission_sends_nothing(
    staff_en, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    swede, english = MemberFactory(language="sv"), MemberFactory(language="en")
    data = {"action": "send", "token": str(uuid.uuid4()), "expected": "2", **text()}
    with django_capture_on_commit_callbacks(execute=True):
        first = staff_en.post(COMPOSE, data, follow=True)
    message = Message.objects.get()
    assert first.redirect_chain[-1][0] == message.get_absolute_url()
    assert "The message is on its way to 2 members." in first.content.decode()
    assert message.created_by == staff_user
    assert {m.to[0]: m.subject.split("]")[-1].strip() for m in mailoutbox} == {
        swede.email: "Höstens möte",
        english.email: "The autumn meeting",
    }
    with django_capture_on_commit_callbacks(execute=True):
        again = staff_en.post(COMPOSE, data, follow=True)
    assert "This message had already been sent; it was not sent again." in again.content.decode()
    assert Message.objects.count() == 1 and len(mailoutbox) == 2


def test_send_shows_the_preview_again_when_the_recipients_changed(staff_en, mailoutbox):
    MemberFactory()
    data = {"action": "send", "token": str(uuid.uuid4()), "expected": "1", **text()}
    MemberFactory()  # someone was approved meanwhile
    response = staff_en.post(COMPOSE, data)
    assert response.status_code == 200
    assert "The recipients changed since the preview" in response.content.decode()
    assert 'name="expected" value="2"' in response.content.decode()
    assert not Message.objects.exists()


def test_send_to_nobody_is_refused_with_a_reason(staff_en):
    empty = InstitutionFactory()
    data = {"action": "send", "token": str(uuid.uuid4()), "institutions": [empty.pk], **text()}
    response = staff_en.post(COMPOSE, data)
    assert response.status_code == 200
    assert "No member matches these filters" in response.content.decode()
    assert not Message.objects.exists()


@pytest.mark.parametrize("role", ["member", "applicant"])
def test_non_staff_cannot_send(client, role, member, applicant):
    MemberFactory()
    client.force_login({"member": member, "applicant": applicant}[role].user)
    response = client.post(COMPOSE, {"action": "send", "token": str(uuid.uuid4()), **text()})
    assert response.status_code == 403
    assert not Message.objects.exists() and not Delivery.objects.filter(kind="member_message").exists()


def test_send_needs_the_csrf_token(client, staff_user):
    MemberFactory()
    client.handler.enforce_csrf_checks = True
    login(client, staff_user)
    response = client.post(COMPOSE, {"action": "send", "token": str(uuid.uuid4()), **text()})
    assert response.status_code == 403
    assert not Message.objects.exists()


def sent(by, n, institution=None):
    institution = institution or InstitutionFactory()
    for _ in range(n):
        MemberFactory(institution=institution)
    message, _ = messaging.message_send(
        by=by,
        token=uuid.uuid4(),
        filters={"institutions": {"institutions": [institution.pk]}},
        subject_sv=f"Meddelande {n}",
        body_sv="Hej",
    )
    return message


def test_message_page_shows_the_text_filters_and_each_delivery(staff_en, staff_user):
    message = sent(staff_user, 3)
    Delivery.objects.filter(pk=message.recipients.first().delivery_id).update(status="failed")
    page = staff_en.get(message.get_absolute_url()).content.decode()
    assert "Meddelande 3" in page and "Institutions:" in page
    assert "Queued: 2" in page and "Failed: 1" in page
    assert page.count("<tr>") == 1 + 3  # head + one row per recipient
    assert "3 members" in page
    # The retention job deletes old deliveries: the record of who got it stays.
    Delivery.objects.filter(kind="member_message", status="failed").delete()
    page = staff_en.get(message.get_absolute_url()).content.decode()
    assert "3 members" in page and "Queued: 2" in page and "Failed" not in page


def test_message_list_and_page_query_counts_do_not_grow(staff_en, staff_user):
    counts = []
    for n in (2, 12):
        sent(staff_user, n)
        with CaptureQueriesContext(connection) as list_queries:
            assert staff_en.get(reverse("network:message_list")).status_code == 200
        message = Message.objects.order_by("-pk").first()
        with CaptureQueriesContext(connection) as page_queries:
            assert staff_en.get(message.get_absolute_url()).status_code == 200
        counts.append((len(list_queries), len(page_queries)))
    assert counts[0] == counts[1], counts


def test_message_list_shows_every_message_with_its_count(staff_en, staff_user):
    sent(staff_user, 2)
    colleague = StaffUserFactory()
    activate_totp(colleague)  # staff rights need a second factor
    sent(colleague, 4)
    page = staff_en.get(reverse("network:message_list")).content.decode()
    assert "Meddelande 2" in page and "Meddelande 4" in page


def test_message_list_and_page_write_when_it_was_sent_in_words(client, staff_user):
    login(client, staff_user)  # in Swedish, the default
    message = sent(staff_user, 2)
    Message.objects.filter(pk=message.pk).update(sent_at=datetime.datetime(2026, 12, 7, 17, 21, tzinfo=datetime.UTC))
    listing = client.get(reverse("network:message_list")).content.decode()
    page = client.get(message.get_absolute_url()).content.decode()
    assert "Meddelande 2" in listing and "7 december 2026, 18.21" in listing  # Stockholm time, as every page writes it
    assert "2026-12-07 18:21" not in listing
    assert "7 december 2026, 18.21" in page


def test_admin_shows_messages_read_only_with_delivery_status(admin_client, admin_user):
    message = sent(admin_user, 2)
    admin_client.cookies["django_language"] = "en"
    changelist = admin_client.get(reverse("admin:network_message_changelist"))
    assert changelist.status_code == 200 and "Meddelande 2" in changelist.content.decode()
    change = admin_client.get(reverse("admin:network_message_change", args=[message.pk]))
    page = change.content.decode()
    assert change.status_code == 200
    assert page.count("Queued") == 2  # each recipient's delivery status
    assert 'name="subject_sv"' not in page  # read-only
    assert admin_client.get(reverse("admin:network_message_add")).status_code == 403


def test_secretariat_home_and_navigation_link_to_messages(staff_en):
    page = staff_en.get(reverse("home")).content.decode()
    assert reverse("network:message_create") in page
    assert reverse("network:message_list") in page


def test_members_see_no_link_to_messages(member_client, member):
    page = member_client.get(reverse("home")).content.decode()
    assert member.user.first_name in page and "main-nav" in page  # her home page, with the site navigation
    assert reverse("network:message_list") not in page


def test_compose_and_preview_query_counts_do_not_grow_with_recipients(staff_en):
    counts = []
    for n in (3, 30):
        institution = InstitutionFactory()
        for _ in range(n):
            MemberFactory(institution=institution)
        with CaptureQueriesContext(connection) as compose_queries:
            assert staff_en.get(COMPOSE).status_code == 200
        with CaptureQueriesContext(connection) as preview_queries:
            response = staff_en.post(COMPOSE, {"action": "preview", "institutions": [institution.pk], **text()})
        assert f"{n} recipients" in response.content.decode()
        counts.append((len(compose_queries), len(preview_queries)))
    assert counts[0] == counts[1], counts


def test_her_data_export_lists_the_messages_she_was_sent(client, staff_user):
    english = MemberFactory(language="en")
    messaging.message_send(
        by=staff_user, token=uuid.uuid4(), filters={}, subject_sv="Hej", body_sv="Hej", subject_en="Hi", body_en="Hi"
    )
    client.force_login(english.user)
    data = client.get(reverse("network:data_export")).json()
    assert [(m["subject"], m["language"]) for m in data["member"]["messages_received"]] == [("Hi", "en")]


def test_send_warns_of_a_member_whose_address_is_not_one_and_sends_to_the_others(
    staff_en, mailoutbox, django_capture_on_commit_callbacks
):
    good = MemberFactory(language="sv")
    broken = MemberFactory(language="sv")
    type(broken.user).objects.filter(pk=broken.user_id).update(email="broken.kloss-net.se")
    data = {"action": "send", "token": str(uuid.uuid4()), "expected": "2", **text()}
    with django_capture_on_commit_callbacks(execute=True):
        page = staff_en.post(COMPOSE, data, follow=True).content.decode()
    assert "The message is on its way to 2 members." in page
    assert "1 member gets nothing: her address is not an email address" in page
    assert "broken.kloss-net.se" in page
    assert [m.to for m in mailoutbox] == [[good.email]]
    assert Delivery.objects.get(recipient=broken, kind="member_message").status == "failed"
