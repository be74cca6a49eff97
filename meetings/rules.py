"""Who may do what with a meeting. Permission names avoid Django's model permissions
(`change_meeting`, ...), which the admin checks for staff."""

import rules

from network.rules import is_active_member


@rules.predicate
def is_host_contact(user, meeting) -> bool:
    """An approved, active member of the institution hosting this meeting."""
    if meeting is None or meeting.host_id is None or not user.is_authenticated:
        return False
    member = getattr(user, "member", None)
    return member is not None and member.institution_id == meeting.host_id and member.is_active_member


@rules.predicate
def has_member_profile(user) -> bool:
    """She has a Member row (staff may not: the secretariat changes answers in the admin)."""
    return user.is_authenticated and getattr(user, "member", None) is not None


is_staff = rules.is_staff

rules.add_perm("meetings.view_meetings", is_active_member)
rules.add_perm("meetings.rsvp", is_active_member & has_member_profile)
# Accept or decline hosting, schedule, agenda, documents, participant list.
rules.add_perm("meetings.host_meeting", is_staff | (is_active_member & is_host_contact))
rules.add_perm("meetings.plan_rotation", is_staff)
