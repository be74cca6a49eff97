"""Reads of the minutes: one meeting's minutes as a document (its page, its PDF, a version's text)
and a year's series, each in a fixed number of queries whatever the number of items, decisions,
actions and meetings."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from meetings.models import Action, Decision, Meeting, Minutes, MinutesComment, MinutesItem, MinutesVersion
from meetings.selectors import _actions  # the actions with what their lists show (two queries)
from meetings.templatetags.meetings_tags import action_due
from network.language import dates


@dataclass
class ItemView:
    item: MinutesItem
    decisions: list[Decision] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    comments: list[MinutesComment] = field(default_factory=list)


@dataclass
class MinutesDocument:
    minutes: Minutes
    items: list[ItemView]
    # Decisions and actions of the meeting recorded outside any item of the minutes.
    other_decisions: list[Decision]
    other_actions: list[Action]
    general_comments: list[MinutesComment] = field(default_factory=list)

    @property
    def meeting(self) -> Meeting:
        return self.minutes.meeting


def minutes_of(meeting: Meeting) -> Minutes | None:
    return Minutes.objects.filter(meeting=meeting).first()


def _documents(minutes_list: list[Minutes], *, comments: bool) -> list[MinutesDocument]:
    """The documents of `minutes_list` (whose meetings are loaded): 4 queries (5 with comments)."""
    by_minutes = {m.pk: m for m in minutes_list}
    meeting_ids = [m.meeting_id for m in minutes_list]
    items = list(MinutesItem.objects.filter(minutes_id__in=by_minutes).order_by("minutes_id", "position", "pk"))
    decisions = list(
        Decision.objects.filter(meeting_id__in=meeting_ids).select_related("theme").order_by("position", "pk")
    )
    actions = list(_actions().filter(meeting_id__in=meeting_ids).order_by("pk"))
    notes = []
    if comments:
        notes = list(
            MinutesComment.objects.filter(minutes_id__in=by_minutes).select_related("author").order_by("created_at")
        )
    views = {m.pk: [] for m in minutes_list}
    by_agenda_item: dict[int, ItemView] = {}
    by_item: dict[int, ItemView] = {}
    for item in items:
        view = ItemView(item)
        views[item.minutes_id].append(view)
        by_item[item.pk] = view
        if item.agenda_item_id:
            by_agenda_item[item.agenda_item_id] = view
    other_decisions: dict[int, list[Decision]] = {pk: [] for pk in meeting_ids}
    other_actions: dict[int, list[Action]] = {pk: [] for pk in meeting_ids}
    for decision in decisions:
        view = by_agenda_item.get(decision.agenda_item_id)
        (view.decisions if view else other_decisions[decision.meeting_id]).append(decision)
    for action in actions:
        view = by_agenda_item.get(action.agenda_item_id)
        (view.actions if view else other_actions[action.meeting_id]).append(action)
    general: dict[int, list[MinutesComment]] = {m.pk: [] for m in minutes_list}
    for comment in notes:
        view = by_item.get(comment.item_id)
        (view.comments if view else general[comment.minutes_id]).append(comment)
    return [
        MinutesDocument(
            minutes=m,
            items=views[m.pk],
            other_decisions=other_decisions[m.meeting_id],
            other_actions=other_actions[m.meeting_id],
            general_comments=general[m.pk],
        )
        for m in minutes_list
    ]


def minutes_document(minutes: Minutes, *, comments: bool = False) -> MinutesDocument:
    return _documents([minutes], comments=comments)[0]


def versions_of(minutes: Minutes) -> QuerySet[MinutesVersion]:
    return minutes.versions.select_related("created_by").defer("text").order_by("-number")


def series_years(*, steering: bool) -> list[int]:
    """The years that have published minutes (of the meetings the reader may see), newest first."""
    published = Minutes.objects.filter(status=Minutes.Status.PUBLISHED)
    if not steering:
        published = published.exclude(meeting__kind=Meeting.Kind.STEERING)
    return sorted(set(published.values_list("meeting__year", flat=True)), reverse=True)


def series(year: int, *, steering: bool) -> QuerySet[Minutes]:
    """A year's published minutes, in the order of the meetings (steering-group meetings' only for
    who may see them: `steering`)."""
    minutes = Minutes.objects.filter(status=Minutes.Status.PUBLISHED, meeting__year=year).select_related(
        "meeting__host", "approved_at_meeting"
    )
    if not steering:
        minutes = minutes.exclude(meeting__kind=Meeting.Kind.STEERING)
    return minutes.order_by(F("meeting__starts_at").asc(nulls_last=True), "-meeting__season", "pk")


def series_documents(year: int, *, steering: bool) -> list[MinutesDocument]:
    return _documents(list(series(year, steering=steering)), comments=False)


def series_decisions(year: int, *, steering: bool) -> QuerySet[Decision]:
    """The decisions of a year's published minutes (the series' CSV)."""
    decisions = Decision.objects.filter(
        meeting__year=year, meeting__site_minutes__status=Minutes.Status.PUBLISHED
    ).select_related("meeting", "theme", "agenda_item")
    if not steering:
        decisions = decisions.exclude(meeting__kind=Meeting.Kind.STEERING)
    return decisions.order_by(F("meeting__starts_at").asc(nulls_last=True), "meeting_id", "position", "pk")


def meeting_decisions(meeting: Meeting) -> QuerySet[Decision]:
    return meeting.decisions.select_related("meeting", "theme", "agenda_item").order_by("position", "pk")


def next_meeting(meeting: Meeting) -> Meeting | None:
    """The next meeting of the same kind still being prepared: where the minutes are approved."""
    later = Q(year__gt=meeting.year)
    if meeting.season == Meeting.Season.SPRING:
        later |= Q(year=meeting.year, season=Meeting.Season.AUTUMN)
    if meeting.starts_at:
        later = Q(starts_at__gt=meeting.starts_at) | (Q(starts_at__isnull=True) & later)
    return (
        Meeting.objects.filter(
            later, kind=meeting.kind, status__in=[Meeting.Status.CONFIRMED, Meeting.Status.SCHEDULED]
        )
        .exclude(pk=meeting.pk)
        .order_by("year", "-season", F("starts_at").asc(nulls_last=True), "pk")
        .first()
    )


# --- The text of a version ---------------------------------------------------------------------


def _person(user) -> str:
    return str(user) if user is not None else ""


def document_text(document: MinutesDocument) -> str:
    """The minutes as plain text, in the site's language (what a version keeps and a diff compares)."""
    with translation.override(settings.LANGUAGE_CODE):
        return "\n".join(_lines(document))


def action_line(action: Action) -> str:
    """ "Action: what (who, due when)", as the minutes' text and PDF write it."""
    return f"{_('Action')}: {action.text} ({action.owner_name}{action_due(action)})"


def _action_line(action: Action) -> str:
    return f"- {action_line(action)}"


def _lines(document: MinutesDocument):
    meeting = document.meeting
    yield _("Minutes of %(meeting)s") % {"meeting": meeting.display_title}
    if meeting.starts_at:
        yield dates.span(meeting.starts_at, meeting.ends_at) if meeting.ends_at else dates.day(meeting.starts_at)
    if document.minutes.introduction:
        yield ""
        yield document.minutes.introduction.strip()
    for number, view in enumerate(document.items, start=1):
        yield ""
        yield f"§ {number}. {view.item.title}"
        if view.item.text.strip():
            yield view.item.text.strip()
        for decision in view.decisions:
            yield f"- {_('Decision')}: {decision.text}"
        for action in view.actions:
            yield _action_line(action)
    if document.other_decisions or document.other_actions:
        yield ""
        yield _("Other decisions and actions")
        for decision in document.other_decisions:
            yield f"- {_('Decision')}: {decision.text}"
        for action in document.other_actions:
            yield _action_line(action)


def deadline_passed(minutes: Minutes, now: datetime.datetime) -> bool:
    return minutes.comment_deadline is not None and now > minutes.comment_deadline
