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


is_staff = rules.is_staff

# Seeing the intranet at all: the directory, meetings, projects, results.
rules.add_perm("network.view_intranet", is_active_member)
