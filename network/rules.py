"""Permissions as django-rules predicates, named once; used by views, templates and the admin."""

import rules

from .mfa import second_factor_completed


@rules.predicate
def is_staff_with_mfa(user) -> bool:
    """Staff rights, everywhere on the site as in the admin: a staff account that completed a second
    factor in this session (network/mfa.py). A staff account without one has only what her Member
    row gives her; StaffMFAMiddleware sends her to set the factor up when it would have helped."""
    if not user.is_authenticated or not user.is_active or not user.is_staff:
        return False
    return second_factor_completed(user)


@rules.predicate
def is_active_member(user) -> bool:
    """An approved member of a current member institution (staff with a second factor count as members too)."""
    if not user.is_authenticated or not user.is_active:
        return False
    member = getattr(user, "member", None)
    if member is not None and member.is_active_member:
        return True
    return is_staff_with_mfa(user)


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


# Every staff right goes through this one predicate (the apps' rules import it).
is_staff = is_staff_with_mfa

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


# Messages to members (network/messages/messaging.py): the secretariat writes to any filtered set; a host
# writes to her meeting's people through the meetings app's scope; a writer sees what she sent.
rules.add_perm("network.message_members", is_staff)
rules.add_perm("network.view_message", is_staff | is_message_writer)
