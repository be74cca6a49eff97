"""Who may do what with a meeting's minutes (imported by meetings/rules.py, so the permissions are
registered with the others). Every permission takes the Minutes, but `meetings.write_minutes`, which
takes the meeting (there may be no minutes yet).

- anonymous and applicants: nothing (the member gate sends them away first);
- a member: the minutes of a meeting she may see once they are circulated (a steering-group
  meeting's only for its seats and the secretariat, as the meeting itself); never a draft;
- a participant (she took part in the meeting): also comments while they are circulated and the
  deadline has not passed;
- a host contact of the meeting and the secretariat (who may record its decisions): draft, edit,
  circulate, approve once the deadline has passed, publish; comment too.
"""

import rules
from django.utils import timezone

from meetings.models import Attendance, Meeting, Minutes
from meetings.rules import may_see_meeting

Status = Minutes.Status


@rules.predicate
def may_see_minutes_meeting(user, minutes) -> bool:
    return minutes is not None and may_see_meeting(user, minutes.meeting)


@rules.predicate
def records_minutes(user, minutes) -> bool:
    """A host contact of the meeting, the secretariat, a steering seat at its own meetings."""
    return minutes is not None and user.has_perm("meetings.record_decisions", minutes.meeting)


@rules.predicate
def took_part(user, minutes) -> bool:
    """She was there (marked), or registered as attending where nobody marked attendance: the people
    the existing "minutes published" notice goes to (meetings/reminders.py participants_to_tell)."""
    member = getattr(user, "member", None) if user.is_authenticated else None
    if minutes is None or member is None or not member.is_active_member:
        return False
    attendance = Attendance.objects.filter(meeting_id=minutes.meeting_id, member=member).order_by().first()
    if attendance is None:
        return False
    if attendance.attended is not None:
        return attendance.attended
    return attendance.status == Attendance.Status.ATTENDING


@rules.predicate
def records_meeting(user, meeting) -> bool:
    return meeting is not None and user.has_perm("meetings.record_decisions", meeting)


def _status_is(name: str, *statuses: str):
    def test(user, minutes) -> bool:
        return minutes is not None and minutes.status in statuses

    return rules.predicate(test, name=name)


is_draft = _status_is("minutes_is_draft", Status.DRAFT)
is_circulated = _status_is("minutes_is_circulated", Status.CIRCULATED)
is_approved = _status_is("minutes_is_approved", Status.APPROVED)
being_written = _status_is("minutes_being_written", Status.DRAFT, Status.CIRCULATED)
shown_to_members = _status_is("minutes_shown", Status.CIRCULATED, Status.APPROVED, Status.PUBLISHED)


@rules.predicate
def comments_open(user, minutes) -> bool:
    deadline = minutes.comment_deadline if minutes is not None else None
    return deadline is not None and timezone.now() <= deadline


@rules.predicate
def meeting_has_started(user, meeting) -> bool:
    """Minutes are written while or after the meeting is held, never of a cancelled one."""
    if meeting is None or meeting.status == Meeting.Status.CANCELLED:
        return False
    if meeting.status in (Meeting.Status.HELD, Meeting.Status.MINUTES_PUBLISHED):
        return True
    return meeting.status == Meeting.Status.SCHEDULED and bool(
        meeting.starts_at and meeting.starts_at <= timezone.now()
    )


may_read = may_see_minutes_meeting & (shown_to_members | records_minutes)

rules.add_perm("meetings.view_minutes", may_read)
# Comments and versions: who writes the minutes and who took part (drafts: who writes them only).
rules.add_perm("meetings.view_minutes_comments", may_read & (records_minutes | took_part))
rules.add_perm("meetings.view_minutes_versions", may_read & (records_minutes | took_part))
rules.add_perm("meetings.view_minutes_drafts", may_read & records_minutes)
rules.add_perm("meetings.write_minutes", may_see_meeting & records_meeting & meeting_has_started)
rules.add_perm("meetings.edit_minutes", may_read & records_minutes & being_written)
rules.add_perm("meetings.circulate_minutes", may_read & records_minutes & being_written)
rules.add_perm("meetings.comment_minutes", may_read & (took_part | records_minutes) & is_circulated & comments_open)
rules.add_perm("meetings.approve_minutes", may_read & records_minutes & is_circulated & ~comments_open)
rules.add_perm("meetings.publish_site_minutes", may_read & records_minutes & is_approved)
