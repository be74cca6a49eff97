"""Permissions as django-rules predicates, named once; used by views, templates and the admin."""

import rules


@rules.predicate
def is_active_member(user) -> bool:
    """An approved member of a current member institution (staff count as members too)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff:
        return True
    member = getattr(user, "member", None)
    return member is not None and member.is_active_member


@rules.predicate
def is_applicant(user) -> bool:
    member = getattr(user, "member", None) if user.is_authenticated else None
    return member is not None and member.status in (member.Status.APPLICANT, member.Status.UNVERIFIED)


@rules.predicate
def has_member_profile(user) -> bool:
    """Applicants and members edit their own profile; rejected and departed people do not."""
    member = getattr(user, "member", None) if user.is_authenticated else None
    return member is not None and member.status in (member.Status.APPLICANT, member.Status.APPROVED)


@rules.predicate
def is_approved_member(user) -> bool:
    """A member (not staff standing in) who can leave the network."""
    member = getattr(user, "member", None) if user.is_authenticated else None
    return member is not None and member.is_active_member


@rules.predicate
def is_own_member(user, member) -> bool:
    return member is not None and user.is_authenticated and member.user_id == user.pk


@rules.predicate
def is_visible_member(user, member) -> bool:
    return member is not None and member.is_active_member


is_staff = rules.is_staff

# Seeing the intranet at all: the directory, meetings, projects, results.
rules.add_perm("network.view_intranet", is_active_member)
# A profile: an active member's, seen by anyone on the intranet.
rules.add_perm("network.view_member_profile", is_active_member & is_visible_member)
rules.add_perm("network.edit_own_profile", has_member_profile)
rules.add_perm("network.leave_network", is_approved_member)
# The secretariat decides applications, but never her own.
rules.add_perm("network.view_applications", is_staff)
rules.add_perm("network.decide_application", is_staff & ~is_own_member)


@rules.predicate
def is_message_writer(user, message) -> bool:
    return message is not None and user.is_authenticated and message.created_by_id == user.pk


# Messages to members (network/messaging.py): the secretariat writes to any filtered set; a host
# writes to her meeting's people through the meetings app's scope; a writer sees what she sent.
rules.add_perm("network.message_members", is_staff)
rules.add_perm("network.view_message", is_staff | is_message_writer)
