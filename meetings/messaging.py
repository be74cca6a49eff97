"""What meetings adds to messages to members (network/messages/messaging.py), registered in MeetingsConfig.ready():

- the filter "answer to a meeting": attending, on the waiting list, not attending, or not answered;
- the scope "a meeting": its host contacts (meetings.host_meeting) may write to its people — the
  members invited to it (sent the invitation) or who answered — and only to them.

Network cannot import meetings (STYLE.md, layers), so it asks this module through its registries.
"""

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from network.messages.messaging import message_scope, recipient_filter
from network.models import Delivery
from network.outbox.worker import object_key_of

from .models import Attendance, Meeting

NOT_ANSWERED = "not_answered"
ANSWERS = [
    (Attendance.Status.ATTENDING, gettext_lazy("Attending")),
    (Attendance.Status.WAITING, gettext_lazy("On the waiting list")),
    (Attendance.Status.NOT_ATTENDING, gettext_lazy("Not attending")),
    (NOT_ANSWERED, gettext_lazy("Not answered")),
]


def _fields(scope):
    if scope is not None:
        return {
            "answer": forms.ChoiceField(
                label=gettext_lazy("Answer to the invitation"),
                choices=[("", gettext_lazy("Everyone invited or registered")), *ANSWERS],
                required=False,
            )
        }
    return {
        "meeting": forms.ModelChoiceField(
            label=gettext_lazy("Meeting"),
            queryset=Meeting.objects.exclude(status=Meeting.Status.PROPOSED).order_by("-year", "season"),
            required=False,
            empty_label=gettext_lazy("No meeting filter"),
        ),
        "answer": forms.ChoiceField(
            label=gettext_lazy("Answer to that meeting"),
            choices=[("", "---------"), *ANSWERS],
            required=False,
        ),
    }


def _clean(cleaned, scope) -> dict[str, str]:
    if scope is not None:
        return {}
    if cleaned.get("meeting") and not cleaned.get("answer"):
        return {"answer": _("Choose which answer to the meeting the recipients gave.")}
    if cleaned.get("answer") and not cleaned.get("meeting"):
        return {"meeting": _("Choose the meeting the answer is about.")}
    return {}


def _to_data(cleaned, scope) -> dict:
    answer = cleaned.get("answer") or ""
    if scope is not None:
        return {"answer": answer} if answer else {}
    meeting = cleaned.get("meeting")
    return {"meeting": meeting.pk, "answer": answer} if meeting and answer else {}


def _apply(queryset, data, scope):
    meeting_id = scope.pk if scope is not None else data["meeting"]
    answers = Attendance.objects.filter(meeting_id=meeting_id, member=OuterRef("pk"))
    if data["answer"] == NOT_ANSWERED:
        return queryset.filter(~Exists(answers))
    return queryset.filter(Exists(answers.filter(status=data["answer"])))


def _describe(data, scope) -> list[str]:
    meeting = scope if scope is not None else Meeting.objects.filter(pk=data["meeting"]).first()
    answer = dict(ANSWERS).get(data["answer"], data["answer"])
    return [
        _("Answer to %(meeting)s: %(answer)s")
        % {"meeting": meeting.display_title if meeting else _("(removed meeting)"), "answer": answer}
    ]


def _people(meeting: Meeting):
    """Invited (the invitation was sent) or answered: who a host may write to."""
    invited = Delivery.objects.filter(
        recipient=OuterRef("pk"),
        kind="meeting_invitation",
        object_key=object_key_of(meeting),
        status=Delivery.Status.SENT,
    )
    answered = Attendance.objects.filter(meeting=meeting, member=OuterRef("pk"))
    return Q(Exists(invited)) | Q(Exists(answered))


def register() -> None:
    recipient_filter(
        "meeting_answer", position=40, fields=_fields, clean=_clean, to_data=_to_data, apply=_apply, describe=_describe
    )
    message_scope(
        Meeting,
        permission="meetings.host_meeting",
        members=_people,
        filters=("meeting_answer",),
        label=lambda meeting: _("Invited to or registered for %(meeting)s") % {"meeting": meeting.display_title},
    )
