"""Webhooks through the outbox: signed calls to a real HTTP receiver on loopback, verified by an
independent implementation (the `standardwebhooks` package); addresses that must never be called
(SSRF), at saving and at delivery time; retries, the pause after a day of failures and its notice;
resuming; the backoffice. The events themselves: meetings/tests/test_webhooks.py, projects/tests/test_webhooks.py."""

import socket
from datetime import timedelta

import pytest
import time_machine
from django.core import checks
from django.urls import reverse
from django.utils import timezone
from standardwebhooks import Webhook, WebhookVerificationError

from network.models import Delivery, WebhookSubscription
from network.outbox.health import outbox_trouble
from network.outbox.worker import RetryLater, delivery_send, reminders_sweep
from network.tests.factories import InstitutionFactory
from network.webhooks import services
from network.webhooks.addresses import UnsafeAddress, url_check, url_resolve
from network.webhooks.signing import signature

pytestmark = pytest.mark.django_db

PUBLIC_IP = "93.184.215.14"  # a public address written as a literal: checking it needs no DNS


def subscribe(url: str, **fields) -> WebhookSubscription:
    defaults = {"name": "KTH web page", "events": [], "contact_email": "it@kth.example.se"}
    return services.subscription_create(by=None, url=url, **{**defaults, **fields})


def ping(subscription) -> int:
    [pk] = services.webhook_ping(subscription=subscription, by=None)
    return pk


@pytest.fixture
def resolver(monkeypatch):
    """Name -> addresses, as DNS would answer now (no test reaches a real resolver); the test changes it."""
    answers: dict[str, list[str]] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in answers:
            family = lambda ip: socket.AF_INET6 if ":" in ip else socket.AF_INET  # noqa: E731
            return [(family(ip), socket.SOCK_STREAM, 6, "", (ip, port)) for ip in answers[host]]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers


# --- Signatures ----------------------------------------------------------------------------------


def test_a_call_arrives_signed_and_the_standardwebhooks_package_verifies_it(webhook_receiver):
    subscription = subscribe(webhook_receiver.url)
    pk = ping(subscription)
    assert delivery_send(delivery_id=pk) == "sent"
    [call] = webhook_receiver.calls
    assert call.path == "/hooks/kloss"
    assert call.headers["content-type"] == "application/json"
    assert call.headers["webhook-id"].startswith("msg_")
    payload = Webhook(subscription.secret).verify(call.body, call.headers)
    assert payload["type"] == "webhook.test"
    assert payload["data"]["subscription"]["id"] == subscription.pk
    row = Delivery.objects.get(pk=pk)
    assert (row.status, row.attempts, row.webhook_id) == ("sent", 1, subscription.pk)


def test_a_tampered_body_or_another_secret_fails_verification(webhook_receiver):
    subscription = subscribe(webhook_receiver.url)
    delivery_send(delivery_id=ping(subscription))
    [call] = webhook_receiver.calls
    with pytest.raises(WebhookVerificationError, match="No matching signature"):
        Webhook(subscription.secret).verify(call.body.replace(b"test", b"TEST"), call.headers)
    other = services.subscription_secret_rotate(subscription=subscription, by=None)
    with pytest.raises(WebhookVerificationError, match="No matching signature"):
        Webhook(other).verify(call.body, call.headers)


def test_our_signature_equals_the_packages_and_the_spec_formula():
    """The formula of the Standard Webhooks spec, written out by hand, and the package's `sign`."""
    import base64
    import hashlib
    import hmac
    from datetime import UTC, datetime

    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = b'{"type":"decision.recorded","data":{"id":1}}'
    ours = signature(secret=secret, msg_id="msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp=1614265330, body=body)
    by_hand = (
        "v1,"
        + base64.b64encode(
            hmac.new(
                base64.b64decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
                b"msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330." + body,
                hashlib.sha256,
            ).digest()
        ).decode()
    )
    theirs = Webhook(secret).sign("msg_p5jXN8AQM9LWM0D4loKWxJek", datetime.fromtimestamp(1614265330, tz=UTC), body)
    assert ours == by_hand == theirs


def test_a_retry_keeps_its_message_id_and_body_with_a_new_timestamp(webhook_receiver):
    subscription = subscribe(webhook_receiver.url)
    pk = ping(subscription)
    webhook_receiver.fail_next = 1
    with time_machine.travel(timezone.now(), tick=False), pytest.raises(RetryLater):
        delivery_send(delivery_id=pk)
    with time_machine.travel(timezone.now() + timedelta(minutes=2), tick=False):
        assert delivery_send(delivery_id=pk) == "sent"
    first, second = webhook_receiver.calls
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    assert first.body == second.body
    assert int(second.headers["webhook-timestamp"]) - int(first.headers["webhook-timestamp"]) >= 119
    Webhook(subscription.secret).verify(second.body, second.headers)


def test_the_secret_is_whsec_base64_of_32_random_bytes():
    import base64

    one, two = subscribe(f"https://{PUBLIC_IP}/a"), subscribe(f"https://{PUBLIC_IP}/b")
    assert one.secret.startswith("whsec_") and one.secret != two.secret
    assert len(base64.b64decode(one.secret.removeprefix("whsec_"))) == 32


# --- Addresses that are never called (SSRF) ------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://127.8.9.10/hook",
        "https://localhost/hook",
        "https://api.localhost/hook",
        "https://[::1]/hook",
        "https://10.0.0.5/hook",
        "https://172.16.3.4/hook",
        "https://192.168.1.1/hook",
        "https://169.254.169.254/latest/meta-data/",  # the cloud's metadata service
        "https://[fe80::1]/hook",
        "https://[fd00::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",  # IPv4-mapped IPv6
        "https://[::ffff:10.1.2.3]/hook",
        "https://[64:ff9b::a00:1]/hook",  # NAT64 of 10.0.0.1
        "https://[2002:c0a8:101::1]/hook",  # 6to4 of 192.168.1.1
        "https://0.0.0.0/hook",
        "https://[::]/hook",
        "https://224.0.0.1/hook",
        "https://[ff02::1]/hook",
        "https://240.0.0.1/hook",  # reserved
        "https://100.64.0.1/hook",  # shared address space (carrier-grade NAT)
        "https://192.0.2.1/hook",  # documentation
    ],
)
def test_a_private_or_local_address_is_refused_when_saved(url):
    with pytest.raises(UnsafeAddress) as refused:
        subscribe(url)
    assert refused.value.code == "private"
    assert not WebhookSubscription.objects.exists()


@pytest.mark.parametrize(
    ("url", "code"),
    [
        (f"http://{PUBLIC_IP}/hook", "scheme"),
        (f"ftp://{PUBLIC_IP}/hook", "scheme"),
        (f"https://user:secret@{PUBLIC_IP}/hook", "userinfo"),
        ("https:///hook", "invalid"),
    ],
)
def test_an_address_that_is_not_https_to_a_host_is_refused(url, code):
    with pytest.raises(UnsafeAddress) as refused:
        url_check(url)
    assert refused.value.code == code


def test_a_name_is_refused_when_any_of_its_addresses_is_private(resolver):
    resolver["hooks.kth.example.se"] = [PUBLIC_IP]
    url_check("https://hooks.kth.example.se/kloss")
    resolver["hooks.kth.example.se"] = [PUBLIC_IP, "10.9.8.7"]
    with pytest.raises(UnsafeAddress, match="hooks.kth.example.se"):
        url_check("https://hooks.kth.example.se/kloss")
    resolver["v6.kth.example.se"] = ["2001:4860:4860::8888", "::1"]
    with pytest.raises(UnsafeAddress):
        url_check("https://v6.kth.example.se/kloss")


def test_a_name_that_does_not_resolve_is_refused_with_a_translated_error(resolver):
    resolver["nowhere.example.se"] = []
    with pytest.raises(UnsafeAddress) as refused:
        url_check("https://nowhere.example.se/")
    assert refused.value.code == "dns"
    assert "kan inte" in refused.value.messages[0]  # Swedish, the site's language


def test_a_name_resolving_to_a_private_address_at_delivery_time_is_never_connected(resolver, monkeypatch):
    """DNS rebinding: public when saved, private when the call is made. No connection is opened; the row
    waits for a retry with the reason, and the subscription counts a failure."""
    resolver["hooks.kth.example.se"] = [PUBLIC_IP]
    subscription = subscribe("https://hooks.kth.example.se/kloss")
    pk = ping(subscription)
    resolver["hooks.kth.example.se"] = ["169.254.169.254"]
    connected = []
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: connected.append(a) or 1 / 0)
    with pytest.raises(RetryLater):
        delivery_send(delivery_id=pk)
    assert connected == []
    row = Delivery.objects.get(pk=pk)
    assert row.status == "queued" and "WebhookAddressRefused" in row.last_error
    assert "hooks.kth.example.se" in row.last_error
    subscription.refresh_from_db()
    assert subscription.failing_since is not None


def test_the_call_connects_to_the_checked_address_and_names_the_host(webhook_receiver, resolver):
    """The name is resolved once, checked, and that address is connected to (Host: the name): a second
    answer of the resolver (rebinding) is never asked for."""
    resolver["receiver.test"] = ["127.0.0.1"]
    subscription = subscribe(f"http://receiver.test:{webhook_receiver.port}/hooks/kloss")
    pk = ping(subscription)
    asked = []
    real = socket.getaddrinfo
    monkeypatch_answers = iter([["127.0.0.1"], ["10.0.0.1"]])

    def getaddrinfo(host, port, *args, **kwargs):
        asked.append(host)
        if host == "receiver.test":
            resolver["receiver.test"] = next(monkeypatch_answers)
        return real(host, port, *args, **kwargs)

    socket_getaddrinfo = socket.getaddrinfo
    try:
        socket.getaddrinfo = getaddrinfo
        assert delivery_send(delivery_id=pk) == "sent"
    finally:
        socket.getaddrinfo = socket_getaddrinfo
    assert asked.count("receiver.test") == 1
    [call] = webhook_receiver.calls
    assert call.headers["host"] == f"receiver.test:{webhook_receiver.port}"


def test_loopback_receivers_need_the_development_setting(settings):
    settings.WEBHOOK_ALLOW_LOCAL_RECEIVERS = False
    with pytest.raises(UnsafeAddress):
        url_check("http://127.0.0.1:8000/hook")
    settings.WEBHOOK_ALLOW_LOCAL_RECEIVERS = True
    assert url_resolve("http://127.0.0.1:8000/hook").address == "127.0.0.1"
    with pytest.raises(UnsafeAddress):  # loopback only: a private network stays refused
        url_check("http://10.0.0.1/hook")
    warnings = checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.security])
    assert "network.W001" in {w.id for w in warnings}


def test_a_redirect_is_not_followed(webhook_receiver):
    subscription = subscribe(webhook_receiver.url)
    pk = ping(subscription)
    webhook_receiver.fail_next, webhook_receiver.status = 1, 302
    with pytest.raises(RetryLater):
        delivery_send(delivery_id=pk)
    assert len(webhook_receiver.calls) == 1
    assert "HTTP 302" in Delivery.objects.get(pk=pk).last_error


# --- Failures: retries, the pause after a day, its notice, resuming -------------------------------


def test_failures_are_retried_with_backoff_then_the_subscription_is_paused_and_its_contact_told(
    webhook_receiver, mailoutbox, django_capture_on_commit_callbacks, settings
):
    subscription = subscribe(webhook_receiver.url, language="en")
    pk = ping(subscription)
    webhook_receiver.fail_next, webhook_receiver.status = 1000, 500
    start = timezone.now()
    with time_machine.travel(start, tick=False), pytest.raises(RetryLater) as first:
        delivery_send(delivery_id=pk)
    with time_machine.travel(start + timedelta(hours=2), tick=False), pytest.raises(RetryLater) as second:
        delivery_send(delivery_id=pk)
    assert (first.value.countdown, second.value.countdown) == (60, 120)
    row = Delivery.objects.get(pk=pk)
    assert row.status == "queued" and "HTTP 500" in row.last_error
    subscription.refresh_from_db()
    assert subscription.is_active and subscription.failing_since == start
    assert mailoutbox == []
    with time_machine.travel(start + timedelta(hours=24, minutes=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert delivery_send(delivery_id=pk) == "failed"
        reminders_sweep(only=["webhook_paused"])  # a second sweep (beat's) tells nobody again
    subscription.refresh_from_db()
    assert subscription.status == "paused" and "HTTP 500" in subscription.paused_reason
    assert Delivery.objects.get(pk=pk).status == "failed"
    [notice] = mailoutbox
    assert notice.to == ["it@kth.example.se"]
    assert notice.subject.endswith("Webhook “KTH web page” paused: its deliveries kept failing")
    assert webhook_receiver.url in notice.body and "HTTP 500" in notice.body
    assert len(webhook_receiver.calls) == 3
    # The receiver is mended; the secretariat resumes: the call that failed goes out again, once.
    webhook_receiver.fail_next = 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.subscription_resume(subscription=subscription, by=None) == 1
    assert Delivery.objects.get(pk=pk).status == "sent"
    assert len(webhook_receiver.calls) == 4
    assert webhook_receiver.ids() == {webhook_receiver.calls[0].headers["webhook-id"]: 4}


def test_the_pause_notice_is_in_the_subscriptions_language(
    webhook_receiver, mailoutbox, django_capture_on_commit_callbacks
):
    subscription = subscribe(webhook_receiver.url, language="sv")
    WebhookSubscription.objects.filter(pk=subscription.pk).update(failing_since=timezone.now() - timedelta(days=2))
    webhook_receiver.fail_next = 1
    with django_capture_on_commit_callbacks(execute=True):
        delivery_send(delivery_id=ping(subscription))
    [notice] = mailoutbox
    assert notice.subject.endswith("Webhooken ”KTH web page” har pausats: anropen misslyckades")


def test_one_success_ends_the_run_of_failures(webhook_receiver):
    subscription = subscribe(webhook_receiver.url)
    webhook_receiver.fail_next = 1
    with pytest.raises(RetryLater):
        delivery_send(delivery_id=ping(subscription))
    assert WebhookSubscription.objects.get(pk=subscription.pk).failing_since is not None
    delivery_send(delivery_id=ping(subscription))
    assert WebhookSubscription.objects.get(pk=subscription.pk).failing_since is None


def test_a_paused_subscription_is_not_called_and_resuming_sends_what_it_missed(
    webhook_receiver, django_capture_on_commit_callbacks
):
    subscription = subscribe(webhook_receiver.url)
    waiting = ping(subscription)
    services.subscription_pause(subscription=subscription, by=None, reason="maintenance")
    assert delivery_send(delivery_id=waiting) == "skipped"
    assert webhook_receiver.calls == []
    with django_capture_on_commit_callbacks(execute=True):
        assert services.subscription_resume(subscription=subscription, by=None) == 1
    assert Delivery.objects.get(pk=waiting).status == "sent"
    assert len(webhook_receiver.calls) == 1
    subscription.refresh_from_db()
    assert subscription.is_active and subscription.paused_reason == ""


def test_a_failing_webhook_is_not_mail_trouble(webhook_receiver, settings):
    subscription = subscribe(webhook_receiver.url)
    webhook_receiver.fail_next = 1
    with pytest.raises(RetryLater):
        delivery_send(delivery_id=ping(subscription))
    Delivery.objects.update(failing_since=timezone.now() - timedelta(hours=3))
    assert outbox_trouble() is None


def test_the_same_event_about_the_same_object_is_one_row_per_subscription(webhook_receiver):
    one, two = subscribe(webhook_receiver.url), subscribe(webhook_receiver.url + "2")
    now = timezone.now()
    rows = [services._row(s, event="webhook.test", obj=one, object_key="same", data={}, now=now) for s in (one, two)]
    from network.outbox.mail import deliveries_queue

    assert len(deliveries_queue(rows)) == 2
    again = [services._row(one, event="webhook.test", obj=one, object_key="same", data={}, now=timezone.now())]
    # (a second emit is another moment: the unique constraint, not the timestamp, refuses it)
    assert deliveries_queue(again) == []
    assert Delivery.objects.filter(webhook__isnull=False).count() == 2


def test_subscribing_to_an_unknown_event_is_refused():
    with pytest.raises(ValueError):
        subscribe(f"https://{PUBLIC_IP}/hook", events=["meeting.exploded"])


# --- The backoffice --------------------------------------------------------------------------------


def test_admin_issues_a_subscription_and_shows_its_secret_once(staff_client, staff_user):
    institution = InstitutionFactory()
    response = staff_client.post(
        reverse("admin:network_webhooksubscription_add"),
        {
            "name": "LiU research information system",
            "institution": institution.pk,
            "url": f"https://{PUBLIC_IP}/kloss",
            "events": ["decision.recorded", "output.added"],
            "contact_email": "cris@liu.example.se",
            "language": "en",
        },
        follow=True,
    )
    subscription = WebhookSubscription.objects.get()
    page = response.content.decode()
    assert subscription.secret in page
    assert (subscription.created_by, subscription.events) == (staff_user, ["decision.recorded", "output.added"])
    change = staff_client.get(reverse("admin:network_webhooksubscription_change", args=[subscription.pk]))
    assert change.status_code == 200
    assert subscription.secret not in change.content.decode()
    assert subscription.secret[-4:] in change.content.decode()
    from network.models import AuditEvent

    assert AuditEvent.objects.filter(kind="webhook_changed", actor=staff_user).exists()


def test_admin_refuses_a_private_address_and_keeps_what_was_typed(staff_client):
    response = staff_client.post(
        reverse("admin:network_webhooksubscription_add"),
        {
            "name": "Intern",
            "url": "https://192.168.10.20/hook",
            "events": ["output.added"],
            "contact_email": "it@example.se",
            "language": "sv",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "a webhook must go to a public address" in page
    assert 'value="Intern"' in page
    assert not WebhookSubscription.objects.exists()


def test_admin_lists_recent_calls_and_their_deliveries(staff_client, webhook_receiver):
    subscription = subscribe(webhook_receiver.url)
    delivery_send(delivery_id=ping(subscription))
    listing = staff_client.get(reverse("admin:network_webhooksubscription_changelist"))
    assert listing.status_code == 200 and "KTH web page" in listing.content.decode()
    change = staff_client.get(reverse("admin:network_webhooksubscription_change", args=[subscription.pk]))
    page = change.content.decode()
    assert "webhook.test" in page
    deliveries = staff_client.get(reverse("admin:network_delivery_changelist") + f"?webhook={subscription.pk}")
    assert deliveries.status_code == 200
    assert webhook_receiver.url in deliveries.content.decode()


def test_admin_actions_rotate_test_pause_and_resume(staff_client, webhook_receiver, django_capture_on_commit_callbacks):
    subscription = subscribe(webhook_receiver.url)
    old = subscription.secret
    url = reverse("admin:network_webhooksubscription_changelist")
    response = staff_client.post(url, {"action": "rotate_secret", "_selected_action": [subscription.pk]}, follow=True)
    subscription.refresh_from_db()
    assert subscription.secret != old and subscription.secret in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url, {"action": "send_test_event", "_selected_action": [subscription.pk]})
    [call] = webhook_receiver.calls
    Webhook(subscription.secret).verify(call.body, call.headers)
    staff_client.post(url, {"action": "pause", "_selected_action": [subscription.pk]})
    assert WebhookSubscription.objects.get(pk=subscription.pk).status == "paused"
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url, {"action": "resume", "_selected_action": [subscription.pk]})
    assert WebhookSubscription.objects.get(pk=subscription.pk).status == "active"


def test_a_subscription_owned_by_an_institution_reads_as_its_member():
    from network.webhooks.events import subscription_reader

    institution = InstitutionFactory()
    reader = subscription_reader(institution)
    assert reader.member.institution == institution and reader.member.is_active_member
    assert not reader.is_staff and reader.pk is None
    import rules

    assert rules.has_perm("network.view_intranet", reader)
    assert not rules.has_perm("network.view_applications", reader)  # never the secretariat's rights


def test_the_readmes_standard_library_verifier_accepts_a_real_call_and_refuses_a_forged_one(webhook_receiver):
    """The example in README.md (Webhooks, Verifying a signature) is run as written."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    [example] = [block for block in readme.split("```python\n")[1:] if "def verify(" in block]
    namespace: dict = {}
    exec(example.split("```")[0], namespace)  # our own documentation's code, run as written
    subscription = subscribe(webhook_receiver.url)
    delivery_send(delivery_id=ping(subscription))
    [call] = webhook_receiver.calls
    assert namespace["verify"](subscription.secret, call.headers, call.body)
    assert not namespace["verify"](subscription.secret, call.headers, call.body + b" ")
    other = services.subscription_secret_rotate(subscription=subscription, by=None)
    assert not namespace["verify"](other, call.headers, call.body)


def test_the_subscription_list_costs_the_same_queries_for_2_and_12(staff_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("admin:network_webhooksubscription_changelist")

    def queries_with(n: int) -> int:
        while WebhookSubscription.objects.count() < n:
            i = WebhookSubscription.objects.count()
            subscribe(f"https://{PUBLIC_IP}/{i}", institution=InstitutionFactory() if i % 2 else None)
        with CaptureQueriesContext(connection) as queries:
            response = staff_client.get(url)
        assert response.status_code == 200 and response.content.decode().count(f"https://{PUBLIC_IP}/") >= n
        return len(queries)

    queries_with(1)  # warm: the session, the staff member and her second factor
    assert queries_with(2) == queries_with(12)


@pytest.fixture
def tls_receiver(tmp_path, settings):
    """A receiver over TLS with a certificate for receiver.test (which the test's resolver points at
    127.0.0.1), and the certificate, to be trusted or not."""
    from tests.support.webhook_receiver import certificate_for, start_webhook_receiver

    settings.WEBHOOK_ALLOW_LOCAL_RECEIVERS = True
    cert, key = certificate_for("receiver.test", tmp_path)
    server, receiver = start_webhook_receiver(tls=(cert, key))
    try:
        yield receiver, cert
    finally:
        server.shutdown()
        server.server_close()


def test_https_verifies_the_receivers_certificate_for_its_name(tls_receiver, resolver, monkeypatch):
    import ssl

    receiver, cert = tls_receiver
    resolver["receiver.test"] = resolver["impostor.test"] = ["127.0.0.1"]
    genuine = subscribe(f"https://receiver.test:{receiver.port}/hooks/kloss")
    impostor = subscribe(f"https://impostor.test:{receiver.port}/hooks/kloss")
    untrusted = ping(genuine)
    with pytest.raises(RetryLater):  # a certificate no authority we trust signed
        delivery_send(delivery_id=untrusted)
    assert "CERTIFICATE_VERIFY_FAILED" in Delivery.objects.get(pk=untrusted).last_error
    real = ssl.create_default_context
    monkeypatch.setattr(ssl, "create_default_context", lambda *args, **kwargs: real(cafile=cert))  # trust it
    assert delivery_send(delivery_id=ping(genuine)) == "sent"
    [call] = receiver.calls
    Webhook(genuine.secret).verify(call.body, call.headers)
    wrong_name = ping(impostor)  # the same certificate, for another name than the one called
    with pytest.raises(RetryLater):
        delivery_send(delivery_id=wrong_name)
    assert "Hostname mismatch" in Delivery.objects.get(pk=wrong_name).last_error
    assert len(receiver.calls) == 1


def test_after_a_new_secret_calls_are_signed_with_both_until_the_overlap_ends(webhook_receiver, settings):
    subscription = subscribe(webhook_receiver.url)
    old = subscription.secret
    new = services.subscription_secret_rotate(subscription=subscription, by=None)
    delivery_send(delivery_id=ping(subscription))
    [during] = webhook_receiver.calls
    assert len(during.headers["webhook-signature"].split(" ")) == 2
    Webhook(old).verify(during.body, during.headers)  # the receiving system not yet switched
    Webhook(new).verify(during.body, during.headers)
    with time_machine.travel(timezone.now() + settings.WEBHOOK_SECRET_OVERLAP + timedelta(minutes=1)):
        delivery_send(delivery_id=ping(subscription))
        after = webhook_receiver.calls[-1]
        assert len(after.headers["webhook-signature"].split(" ")) == 1
        Webhook(new).verify(after.body, after.headers)
        with pytest.raises(WebhookVerificationError, match="No matching signature"):
            Webhook(old).verify(after.body, after.headers)
