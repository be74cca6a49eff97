"""A message to members with the real thing: sent from a request's service, delivered by a Celery
worker process through a real SMTP server, each recipient in her language, once."""

import uuid
from email.header import decode_header, make_header

import pytest

from network.messages import messaging
from network.models import Delivery, Message
from network.outbox.worker import DELIVERY_HEADER
from network.tests.factories import InstitutionFactory, MemberFactory, StaffUserFactory, activate_totp
from tests.support.waiting import wait_until


def subject_of(email) -> str:
    return str(make_header(decode_header(email["Subject"])))


def text_of(email) -> str:
    for part in email.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    return ""


@pytest.mark.django_db(transaction=True)
def test_worker_delivers_a_message_in_each_recipients_language(smtp_server, celery_worker_process):
    staff = StaffUserFactory()
    activate_totp(staff)  # staff rights need a second factor
    kth = InstitutionFactory()
    swede = MemberFactory(institution=kth, language="sv")
    english = MemberFactory(institution=kth, language="en")
    MemberFactory()  # another institution: not chosen
    token = uuid.uuid4()
    filters = {"institutions": {"institutions": [kth.pk]}}
    text = {"subject_sv": "Höstmötet", "body_sv": "Välkomna!", "subject_en": "Autumn meeting", "body_en": "Welcome!"}
    message, created = messaging.message_send(by=staff, token=token, filters=filters, **text)
    again, created_again = messaging.message_send(by=staff, token=token, filters=filters, **text)  # double submit
    assert (created, created_again, again) == (True, False, message)

    arrived = smtp_server.wait_for(2, timeout=60)
    assert len(arrived) == 2, celery_worker_process.output()
    deliveries = Delivery.objects.filter(kind="member_message", object_key=f"network.message:{message.pk}")
    # No duplicate can come any more: every delivery is sent (a task only claims a queued row) and the
    # worker has nothing left, neither on its queue nor received and unfinished.
    assert wait_until(lambda: not deliveries.exclude(status="sent").exists() and celery_worker_process.idle()), (
        celery_worker_process.output()
    )
    by_address = {email["X-Envelope-To"]: email for email in smtp_server.messages}
    assert set(by_address) == {swede.email, english.email}
    assert subject_of(by_address[swede.email]).endswith("Höstmötet")
    assert "Välkomna!" in text_of(by_address[swede.email])
    assert subject_of(by_address[english.email]).endswith("Autumn meeting")
    assert "Welcome!" in text_of(by_address[english.email])
    assert {e[DELIVERY_HEADER] for e in smtp_server.messages} == {
        str(pk) for pk in deliveries.values_list("pk", flat=True)
    }
    assert set(deliveries.values_list("status", flat=True)) == {"sent"}
    assert Message.objects.count() == 1
