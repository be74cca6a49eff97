"""What the meetings' pages keep in the cache (network/cache/), and what a change of a meeting,
its agenda, answers, documents, decisions and actions touches: declared once, read by the views,
the templates (`{% fragment %}`) and the services.

Namespaces of the meetings: `meeting:<pk>` (its facts; every part of its page shows them),
`meeting:<pk>:agenda` (its agenda, documents and the actions due by it), `meeting:<pk>:decisions`
(its decisions and actions), `meeting:<pk>:people` (who is coming), `answer:<meeting>:<member>`
(her own answer on the meeting's page), `answers:<member>` (her answers, on her home page),
`meetings` (the meeting list, the home page's next meeting, the lists of meetings to choose from),
`calendar` (the calendar feed), `registers` (the decision and action registers), `participation`
(the dashboard's register of who came to the meetings held)."""

from network import cache

from .models import Action, AgendaItem, Attendance, Decision, HostDecline, Meeting, MeetingDocument

MEETING_HEAD = cache.Fragment("meeting_head", ("meeting:{meeting}", "institutions"))
# With the follow-up of the actions due by it (their owners' names).
MEETING_AGENDA = cache.Fragment(
    "meeting_agenda", ("meeting:{meeting}", "meeting:{meeting}:agenda", "people", "institutions")
)
MEETING_DECISIONS = cache.Fragment(
    "meeting_decisions", ("meeting:{meeting}", "meeting:{meeting}:decisions", "people", "institutions", "themes")
)
# Her own answer: until she answers or the meeting changes (the key says whether registration is open).
MEETING_ANSWER = cache.Fragment("meeting_answer", ("meeting:{meeting}", "answer:{meeting}:{member}"))
# Who is coming; the key says whether the meeting has been held (then: who registered).
MEETING_PEOPLE = cache.Fragment("meeting_people", ("meeting:{meeting}:people", "people", "institutions"))
MEETING_LIST = cache.Fragment("meeting_list", ("meetings", "institutions"))
CALENDAR_FEED = cache.Fragment("calendar_feed", ("calendar", "institutions"))
_REGISTER = ("registers", "people", "institutions", "themes")  # a meeting's name: `registers`
ACTION_REGISTER = cache.Fragment("action_register", _REGISTER)
DECISION_REGISTER = cache.Fragment("decision_register", _REGISTER)
ACTION_OWNERS = cache.Fragment("choices:action_owners", ("registers", "people"))
REGISTER_MEETINGS = cache.Fragment("choices:register_meetings", ("meetings",))
ACCEPTED_THEMES = cache.Fragment("choices:accepted_themes", ("themes",))

# A meeting's name (title, season, kind) shows in the registers; its status in the participation register.
NAME_FIELDS = {"title", "year", "season", "kind"}
HELD = {Meeting.Status.HELD, Meeting.Status.MINUTES_PUBLISHED}


def _meeting(meeting: Meeting, fields):
    yield from (f"meeting:{meeting.pk}", "meetings", "calendar", f"institution:{meeting.host_id}")
    if fields is None or fields & NAME_FIELDS:
        yield "registers"
    if (fields is None or "status" in fields) and meeting.status in HELD:
        yield "participation"


def _attendance(attendance: Attendance, fields):
    yield f"meeting:{attendance.meeting_id}:people"
    for member_id in filter(None, (attendance.member_id, attendance.stand_in_for_id)):
        yield f"answer:{attendance.meeting_id}:{member_id}"  # her answer on the meeting page
        yield f"answers:{member_id}"  # and on her home page, next to the next meeting
    if Meeting.objects.filter(pk=attendance.meeting_id, status__in=HELD).exists():
        yield "participation"  # only a held meeting counts in who came


def _action(action: Action, fields):
    yield from (f"meeting:{action.meeting_id}:decisions", "registers")
    if action.due_meeting_id:
        yield f"meeting:{action.due_meeting_id}:agenda"  # followed up on its agenda
    if action.owner_member_id:
        yield f"member:{action.owner_member_id}"  # her open actions at home
    if action.owner_institution_id:
        yield f"institution:{action.owner_institution_id}:actions"  # her institution's, at home


cache.declare(Meeting, _meeting)
cache.declare(AgendaItem, lambda item, fields: [f"meeting:{item.meeting_id}:agenda"])
cache.declare(Attendance, _attendance)
cache.declare(MeetingDocument, lambda document, fields: [f"meeting:{document.meeting_id}:agenda"])
cache.declare(
    HostDecline, lambda decline, fields: [f"meeting:{decline.meeting_id}", f"institution:{decline.institution_id}"]
)
cache.declare(Decision, lambda decision, fields: [f"meeting:{decision.meeting_id}:decisions", "registers"])
cache.declare(Action, _action)


# The minutes (meetings/minutes/): the agenda item "approval of the minutes" links to them.
from .minutes import fragments as minutes_fragments  # noqa: E402, F401
