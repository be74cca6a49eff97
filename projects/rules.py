"""Who may do what with themes, projects, reports and outputs (django-rules predicates)."""

import rules

from meetings.rules import sits_on_steering_group
from network import cache
from network.rules import is_active_member, is_staff_with_mfa

is_staff = is_staff_with_mfa  # staff rights need a second factor in the session


def _member(user):
    return getattr(user, "member", None) if user.is_authenticated else None


@rules.predicate
def is_steering_group_member(user) -> bool:
    """Staff, or an active member with a steering-group seat running today."""
    if not user.is_authenticated:
        return False
    member = _member(user)
    if member is not None and is_active_member(user) and member.steering_seats.current().exists():
        return True
    return is_staff_with_mfa(user)


def _participation(user, project):
    """Her participation in the project, or None: a permission input, read once per request (a
    project page asks for it twice: may she edit, may she add outputs), never kept across requests."""
    member = _member(user)
    if member is None or project is None:
        return None
    # At most one row (a unique constraint): no ordering, so the model's default ordering does not
    # join the member and user tables into a query run on every project page.
    return cache.per_request(
        ("participation", project.pk, member.pk),
        lambda: next(iter(project.participations.filter(member=member).order_by()[:1]), None),
    )


def _project_of(obj):
    from .models import Project  # the predicates take projects, reports or outputs

    if obj is None or isinstance(obj, Project):
        return obj
    return obj.project


@rules.predicate
def is_participant(user, obj) -> bool:
    return is_active_member(user) and _participation(user, _project_of(obj)) is not None


@rules.predicate
def is_coordinator(user, obj) -> bool:
    participation = _participation(user, _project_of(obj)) if is_active_member(user) else None
    return participation is not None and participation.is_coordinator


@rules.predicate
def is_draft(user, report) -> bool:
    return report is not None and not report.is_submitted


@rules.predicate
def is_submitted(user, report) -> bool:
    return report is not None and report.is_submitted


can_edit_project = is_staff | is_coordinator

rules.add_perm("projects.propose_theme", is_steering_group_member)
rules.add_perm("projects.accept_theme", is_staff)
rules.add_perm("projects.create_project", is_active_member)
rules.add_perm("projects.edit_project", can_edit_project)
rules.add_perm("projects.add_participant", can_edit_project)
rules.add_perm("projects.open_round", is_staff)
# Start the project's report in a round (its first draft): the project's people, or the secretariat.
rules.add_perm("projects.start_report", is_staff | is_participant)
# A draft is the project's business; a submitted report is for every member (the pre-read pack).
rules.add_perm("projects.view_report", is_staff | is_participant | (is_submitted & is_active_member))
rules.add_perm("projects.edit_report", is_draft & (is_staff | is_participant))
rules.add_perm("projects.submit_report", is_draft & (is_staff | is_coordinator))
rules.add_perm("projects.reopen_report", is_submitted & is_staff)
rules.add_perm("projects.add_output", is_staff | is_participant)
rules.add_perm("projects.edit_output", is_staff | is_participant)
# The network's yearly report (projects/yearly/): asked for and downloaded by the secretariat and the
# steering group, who send it to the universities' leaderships.
# The seats are read once per request (meetings' predicate), as for the steering group's meetings.
rules.add_perm("projects.view_yearly_reports", is_staff | sits_on_steering_group)
