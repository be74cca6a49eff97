"""The meetings' webhook events (meetings/webhooks.py): emitted by the services where the thing happens,
once per action and subscription, in the action's transaction, and only to subscriptions whose reader
may see the meeting (no steering-group matter reaches any subscription)."""

import pytest
from django.db import transaction
from standardwebhooks import Webhook

from meetings import services
from meetings.models import Meeting, MeetingDocument
from meetings.tests.factories import MeetingDocumentFactory, MeetingFactory, ScheduledMeetingFactory, in_days
from meetings.tests.test_decisions import held_meeting
from network.models import Delivery
from network.tests.factories import InstitutionFactory, MemberFactory, SteeringGroupSeatFactory
from network.webhooks.services import subscription_create

pytestmark = pytest.mark.django_db

EVENTS = [
    "action.recorded",
    "meeting.scheduled",
    "meeting.rescheduled",
    "meeting.cancelled",
    "meeting.minutes_published",
    "decision.recorded",
]


@pytest.fixture
def subscriptions(webhook_receiver):
    """One institution's subscription (a member of it sits on the steering group) and the network's."""
    institution = InstitutionFactory()
    SteeringGroupSeatFactory(member=MemberFactory(institution=institution))
    return {
        "institution": subscription_create(
            by=None, name="Inst", url=webhook_receiver.url + "/inst", events=EVENTS, contact_email="a@x.se",
            institution=institution,
        ),
        "network": subscription_create(
            by=None, name="Net", url=webhook_receiver.url + "/net", events=EVENTS, contact_email="b@x.se"
        ),
    }  # fmt: skip


def received(receiver, subscriptions) -> list[tuple[str, str]]:
    """(subscription name, event type) of each call, every signature verified with its secret."""
    by_path = {
        f"/hooks/kloss/{key}": s
        for key, s in (("inst", subscriptions["institution"]), ("net", subscriptions["network"]))
    }
    found = []
    for call in receiver.calls:
        subscription = by_path[call.path]
        payload = Webhook(subscription.secret).verify(call.body, call.headers)
        found.append((subscription.name, payload["type"]))
    return sorted(found)


def test_scheduling_emits_meeting_scheduled_once_and_moving_it_meeting_rescheduled(
    subscriptions, webhook_receiver, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(status=Meeting.Status.CONFIRMED)
    when = {"starts_at": in_days(40), "ends_at": in_days(41, 15), "venue": "Aula"}
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_schedule(meeting=meeting, by=None, **when)
        services.meeting_schedule(meeting=meeting, by=None, **when, capacity=80)  # nothing moved: no event
    assert received(webhook_receiver, subscriptions) == [("Inst", "meeting.scheduled"), ("Net", "meeting.scheduled")]
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_schedule(meeting=meeting, by=None, **{**when, "venue": "Stora salen"})
    assert received(webhook_receiver, subscriptions).count(("Net", "meeting.rescheduled")) == 1
    payload = Webhook(subscriptions["network"].secret).verify(
        webhook_receiver.calls[-1].body, webhook_receiver.calls[-1].headers
    )
    assert payload["data"]["meeting"]["venue"] == "Stora salen"
    assert payload["data"]["meeting"]["starts_at"] == when["starts_at"].isoformat()
    assert payload["data"]["meeting"]["url"].endswith(f"/meetings/{meeting.pk}/")


def test_a_decision_emits_decision_recorded_once_with_its_texts(
    subscriptions, webhook_receiver, django_capture_on_commit_callbacks
):
    meeting = held_meeting()
    with django_capture_on_commit_callbacks(execute=True):
        decision = services.decision_record(meeting=meeting, by=None, text_sv="Nätverket antar strategin.")
    assert received(webhook_receiver, subscriptions) == [("Inst", "decision.recorded"), ("Net", "decision.recorded")]
    payload = json_of(webhook_receiver.calls[0])
    assert payload["data"]["decision"]["id"] == decision.pk
    assert payload["data"]["decision"]["text_sv"] == "Nätverket antar strategin."
    assert Delivery.objects.filter(kind="webhook:decision.recorded").count() == 2


def json_of(call) -> dict:
    import json

    return json.loads(call.body)


def test_steering_group_matters_reach_no_subscription(
    subscriptions, webhook_receiver, django_capture_on_commit_callbacks
):
    """Not even the institution's, although one of its members sits on the steering group: a
    subscription reads as an ordinary member of its institution."""
    steering = MeetingFactory(kind=Meeting.Kind.STEERING, host=None, status=Meeting.Status.CONFIRMED)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_schedule(
            meeting=steering, by=None, starts_at=in_days(-3), ends_at=in_days(-3, 15), venue="Rum 1"
        )
        services.decision_record(meeting=steering, by=None, text_sv="Budgeten för 2028.")
        services.meeting_cancel(meeting=ScheduledMeetingFactory(kind=Meeting.Kind.STEERING, host=None), by=None)
    assert webhook_receiver.calls == []
    assert not Delivery.objects.filter(webhook__isnull=False).exists()


def test_minutes_published_carries_the_minutes_and_decisions(
    subscriptions, webhook_receiver, django_capture_on_commit_callbacks
):
    meeting = held_meeting()
    services.decision_record(meeting=meeting, by=None, text_en="The network adopts the budget.")
    MeetingDocumentFactory(meeting=meeting, kind=MeetingDocument.Kind.MINUTES, title="Protokoll")
    Delivery.objects.filter(webhook__isnull=False).delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_publish_minutes(meeting=meeting, by=None)
    assert received(webhook_receiver, subscriptions) == [
        ("Inst", "meeting.minutes_published"),
        ("Net", "meeting.minutes_published"),
    ]
    data = json_of(webhook_receiver.calls[0])["data"]
    assert [m["title"] for m in data["minutes"]] == ["Protokoll"]
    assert [d["text_en"] for d in data["decisions"]] == ["The network adopts the budget."]
    assert data["meeting"]["status"] == "minutes_published"


def test_cancelling_emits_meeting_cancelled(subscriptions, webhook_receiver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(meeting=ScheduledMeetingFactory(), by=None)
    assert received(webhook_receiver, subscriptions) == [("Inst", "meeting.cancelled"), ("Net", "meeting.cancelled")]


def test_an_action_rolled_back_emits_nothing(subscriptions, webhook_receiver, django_capture_on_commit_callbacks):
    meeting = held_meeting()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        services.decision_record(meeting=meeting, by=None, text_sv="Ångras.")
        raise RuntimeError("the request fails after the decision")
    assert not Delivery.objects.filter(webhook__isnull=False).exists()
    assert webhook_receiver.calls == []


def test_a_subscription_gets_only_the_events_it_chose(webhook_receiver, django_capture_on_commit_callbacks):
    subscription_create(
        by=None, name="Only decisions", url=webhook_receiver.url, events=["decision.recorded"], contact_email="c@x.se"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(meeting=ScheduledMeetingFactory(), by=None)
        services.decision_record(meeting=held_meeting(), by=None, text_sv="Ja.")
    assert [json_of(c)["type"] for c in webhook_receiver.calls] == ["decision.recorded"]


def test_an_action_emits_action_recorded_with_its_owner(
    subscriptions, webhook_receiver, django_capture_on_commit_callbacks
):
    meeting = held_meeting()
    owner = InstitutionFactory(name="Linköpings universitet")
    with django_capture_on_commit_callbacks(execute=True):
        action = services.action_record(
            meeting=meeting, by=None, text="Ta fram en budget.", owner_institution=owner, due_on=in_days(30).date()
        )
    assert received(webhook_receiver, subscriptions) == [("Inst", "action.recorded"), ("Net", "action.recorded")]
    data = json_of(webhook_receiver.calls[0])["data"]
    assert data["action"]["id"] == action.pk and data["action"]["text"] == "Ta fram en budget."
    assert data["action"]["owner_institution"] == {"id": owner.pk, "name": "Linköpings universitet"}
    assert data["meeting"]["id"] == meeting.pk


def test_what_happens_while_a_subscription_is_paused_is_sent_when_it_is_resumed(
    subscriptions, webhook_receiver, django_capture_on_commit_callbacks
):
    from network.webhooks.services import subscription_pause, subscription_resume

    paused = subscriptions["network"]
    subscription_pause(subscription=paused, by=None, reason="the receiver moves")
    with django_capture_on_commit_callbacks(execute=True):
        services.decision_record(meeting=held_meeting(), by=None, text_sv="Under pausen.")
    assert received(webhook_receiver, subscriptions) == [("Inst", "decision.recorded")]
    assert Delivery.objects.get(webhook=paused).status == "skipped"
    with django_capture_on_commit_callbacks(execute=True):
        assert subscription_resume(subscription=paused, by=None) == 1
    assert received(webhook_receiver, subscriptions) == [("Inst", "decision.recorded"), ("Net", "decision.recorded")]
