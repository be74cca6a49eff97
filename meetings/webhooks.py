"""The meetings app's webhook events (network/webhooks/events.py), emitted by meetings/services.py:

- meeting.scheduled          a host (or the secretariat) set the date and place: confirmed -> scheduled;
- meeting.rescheduled        the date, place or format of a scheduled meeting changed (once per change);
- meeting.cancelled          the meeting will not take place;
- meeting.minutes_published  the minutes are out (with the meeting's decisions);
- decision.recorded          a decision was recorded at a meeting;
- action.recorded            an action was agreed at a meeting (who owns it, by when).

Who receives them follows the meetings' own permissions (meetings/rules.py): a steering-group meeting
and its decisions reach no subscription (no subscription reads as a seat), every other meeting every
subscription to the event.
"""

from __future__ import annotations

import rules
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from network.webhooks.events import absolute, moment, webhook_event

from .models import Action, Decision, Meeting, MeetingDocument


def _may_see_meeting(meeting: Meeting, reader) -> bool:
    return rules.has_perm("meetings.view_meeting", reader, meeting)


def _may_see_decision(decision: Decision | Action, reader) -> bool:
    return rules.has_perm("meetings.view_decisions", reader, decision.meeting)


def meeting_data(meeting: Meeting) -> dict:
    host = meeting.host
    return {
        "id": meeting.pk,
        "title": meeting.title,
        "kind": meeting.kind,
        "status": meeting.status,
        "year": meeting.year,
        "season": meeting.season,
        "starts_at": moment(meeting.starts_at),
        "ends_at": moment(meeting.ends_at),
        "format": meeting.format,
        "venue": meeting.venue,
        "address": meeting.address,
        "registration_deadline": moment(meeting.registration_deadline),
        "host": {"id": host.pk, "name": host.name, "name_en": host.name_en or host.name} if host else None,
        "sequence": meeting.sequence,
        "url": absolute(meeting.get_absolute_url()),
        "calendar_url": absolute(reverse("meetings:meeting_ics", kwargs={"pk": meeting.pk})),
    }


def decision_data(decision: Decision) -> dict:
    theme = decision.theme
    return {
        "id": decision.pk,
        "position": decision.position,
        "text_sv": decision.text_sv,
        "text_en": decision.text_en,
        "theme": {"id": theme.pk, "name_sv": theme.name_sv, "name_en": theme.name_en} if theme else None,
        "recorded_at": moment(decision.created_at),
        "url": absolute(decision.meeting.get_absolute_url() + f"#decision-{decision.pk}"),
    }


@webhook_event("meeting.scheduled", label=_("A meeting is scheduled"), visible=_may_see_meeting)
def meeting_scheduled(meeting: Meeting, reader) -> dict:
    return {"meeting": meeting_data(meeting)}


@webhook_event("meeting.rescheduled", label=_("A meeting's date or place changes"), visible=_may_see_meeting)
def meeting_rescheduled(meeting: Meeting, reader) -> dict:
    return {"meeting": meeting_data(meeting)}


@webhook_event("meeting.cancelled", label=_("A meeting is cancelled"), visible=_may_see_meeting)
def meeting_cancelled(meeting: Meeting, reader) -> dict:
    return {"meeting": meeting_data(meeting)}


@webhook_event("meeting.minutes_published", label=_("A meeting's minutes are published"), visible=_may_see_meeting)
def meeting_minutes_published(meeting: Meeting, reader) -> dict:
    minutes = [d for d in meeting.documents.all() if d.kind == MeetingDocument.Kind.MINUTES]
    decisions = (
        [decision_data(d) for d in meeting.decisions.select_related("theme", "meeting")]
        if rules.has_perm("meetings.view_decisions", reader, meeting)
        else []
    )
    return {
        "meeting": meeting_data(meeting),
        "minutes_published_at": moment(meeting.minutes_published_at),
        "minutes": [
            {"id": d.pk, "title": d.title, "url": absolute(d.get_absolute_url()), "content_type": d.content_type}
            for d in minutes
        ],
        "decisions": decisions,
    }


@webhook_event("decision.recorded", label=_("A decision is recorded"), visible=_may_see_decision)
def decision_recorded(decision: Decision, reader) -> dict:
    return {"decision": decision_data(decision), "meeting": meeting_data(decision.meeting)}


@webhook_event("action.recorded", label=_("An action is agreed"), visible=_may_see_decision)
def action_recorded(action: Action, reader) -> dict:
    owner, institution = action.owner_member, action.owner_institution
    return {
        "action": {
            "id": action.pk,
            "text": action.text,
            "status": action.status,
            "owner_member": {"id": owner.pk, "name": owner.full_name} if owner else None,
            "owner_institution": {"id": institution.pk, "name": institution.name} if institution else None,
            "due_on": action.due_on.isoformat() if action.due_on else None,
            "due_meeting_id": action.due_meeting_id,
            "decision_id": action.decision_id,
            "recorded_at": moment(action.created_at),
            "url": absolute(action.get_absolute_url()),
        },
        "meeting": meeting_data(action.meeting),
    }
