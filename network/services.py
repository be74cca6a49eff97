"""Every write of the network app: membership, decisions, leaving, leadership, privacy.

Services validate state, raise `MembershipError` with a translated message, save with
`update_fields`, and queue mail through the outbox (network/outbox/mail.py, kinds in network/notices.py):
the worker sends it after the transaction commits, so no request waits on, or fails with, SMTP.
"""

from __future__ import annotations

import datetime
import logging
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from network.outbox.mail import mail_enqueue

from . import cache
from .audit import AuditEvent, audit_record, audit_seat, audit_staff_change, staff_flags
from .models import (
    Institution,
    InstitutionDomain,
    LeadershipTerm,
    Member,
    SteeringGroupSeat,
    _new_calendar_token,
)
from .orcid import normalise_orcid, orcid_is_valid

logger = logging.getLogger(__name__)
User = get_user_model()


class MembershipError(Exception):
    """A request the rules of the network refuse; the message is translated and safe to show."""


def email_domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].strip().lower()


def institution_for_email(email: str) -> Institution | None:
    """The current member institution whose email domain matches the address (or a parent domain)."""
    parts = email_domain(email).split(".")
    candidates = [".".join(parts[i:]) for i in range(len(parts) - 1)]
    domain = (
        InstitutionDomain.objects.filter(domain__in=candidates, institution__in=Institution.objects.current_members())
        .select_related("institution")
        .order_by("-domain")
        .first()
    )
    return domain.institution if domain else None


# --- Applying ------------------------------------------------------------------------------


@transaction.atomic
def member_register(
    *,
    user,
    institution: Institution,
    title: str,
    role: str = Member.Role.OTHER,
    language: str = settings.LANGUAGE_CODE,
    privacy_version: str,
) -> Member:
    """The Member row of a new signup: unverified until the email address is confirmed."""
    if not privacy_version:
        raise MembershipError(_("The privacy notice must be accepted."))
    if not institution.is_member:
        raise MembershipError(_("This institution is not a member of the network."))
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    member = Member.objects.create(
        user=user,
        institution=institution,
        title=title,
        role=role,
        language=language,
        status=Member.Status.UNVERIFIED,
        privacy_version=privacy_version,
        privacy_accepted_at=timezone.now(),
    )
    cache.changed(member)
    return member


@transaction.atomic
def member_mark_verified(*, user) -> Member | None:
    """Her email address is confirmed: she becomes an applicant; the secretariat is emailed (outbox).

    A second confirmation, or a user without a Member row (staff), changes nothing.
    """
    member = Member.objects.select_for_update().filter(user=user).first()
    if member is None or member.status != Member.Status.UNVERIFIED:
        return member
    member.status = Member.Status.APPLICANT
    member.applied_at = timezone.now()
    member.save(update_fields=["status", "applied_at"])
    cache.changed(member, fields=["status", "applied_at"])
    mail_enqueue(kind="application_received", to=settings.SECRETARIAT_EMAILS, obj=member)
    return member


def _decide(*, member: Member, by, note: str, status: str, kind: str) -> Member:
    if not getattr(by, "is_staff", False):
        raise MembershipError(_("Only the secretariat decides applications."))
    if member.user_id == by.pk:
        raise MembershipError(_("You cannot decide your own application."))
    locked = Member.objects.select_for_update(of=("self",)).select_related("user", "institution").get(pk=member.pk)
    if locked.status != Member.Status.APPLICANT:
        raise MembershipError(_("This application has already been decided."))
    locked.status = status
    locked.decided_at = timezone.now()
    locked.decided_by = by
    locked.decision_note = note.strip()
    locked._change_reason = f"{status} by {by.email}"
    locked.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
    cache.changed(locked, fields=["status"])
    audit_record(
        kind=AuditEvent.Kind.MEMBER_APPROVED if status == Member.Status.APPROVED else AuditEvent.Kind.MEMBER_REJECTED,
        actor=by,
        target=f"network.member:{locked.pk}",
        detail={"before": Member.Status.APPLICANT, "after": status, "note": locked.decision_note},
    )
    # Her language, name and the note are read when the worker sends (network/notices.py).
    mail_enqueue(kind=kind, to=[locked], obj=locked)
    member.refresh_from_db()
    return locked


@transaction.atomic
def member_approve(*, member: Member, by, note: str = "") -> Member:
    """Approve an applicant. Side effect: she is emailed the decision in her language (outbox)."""
    return _decide(member=member, by=by, note=note, status=Member.Status.APPROVED, kind="application_approved")


@transaction.atomic
def member_reject(*, member: Member, by, note: str = "") -> Member:
    """Reject an applicant. Side effect: she is emailed the decision in her language (outbox)."""
    return _decide(member=member, by=by, note=note, status=Member.Status.REJECTED, kind="application_rejected")


# --- Profile and leaving -------------------------------------------------------------------


@transaction.atomic
def member_update_profile(
    *, member: Member, title: str, phone: str, language: str, optional_reminders: bool, orcid: str | None = None
) -> Member:
    """Her own profile; `orcid` (None: left as it is) is stored normalised and must pass its checksum."""
    if language not in dict(settings.LANGUAGES):
        raise MembershipError(_("Unknown language."))
    fields = ["title", "phone", "language", "optional_reminders"]
    member.title = title
    member.phone = phone
    member.language = language
    member.optional_reminders = optional_reminders
    if orcid is not None:
        orcid = normalise_orcid(orcid)
        if orcid and not orcid_is_valid(orcid):
            raise MembershipError(_("“%(value)s” is not a valid ORCID iD.") % {"value": orcid})
        member.orcid = orcid
        fields.append("orcid")
    member.save(update_fields=fields)
    cache.changed(member, fields=fields)
    return member


@transaction.atomic
def member_leave(*, member: Member) -> Member:
    """She leaves the network: access ends at once; her history (decisions, seats, authorship) stays."""
    if member.status != Member.Status.APPROVED:
        raise MembershipError(_("Only a member can leave the network."))
    today = timezone.localdate()
    member.status = Member.Status.LEFT
    member.left_at = timezone.now()
    member.save(update_fields=["status", "left_at"])
    cache.changed(member, fields=["status"])
    for seat in SteeringGroupSeat.objects.current().filter(member=member):
        seat.ends_on = max(today, seat.starts_on)
        seat.save(update_fields=["ends_on"])
        cache.changed(seat)
        audit_seat(seat=seat, created=False)
    return member


@transaction.atomic
def institution_leave(*, institution: Institution, on: datetime.date) -> Institution:
    """The institution leaves on `on`: from that day its members lose access (their rows stay)."""
    if institution.joined_on is None or on <= institution.joined_on:
        raise MembershipError(_("An institution must join before it leaves."))
    institution.left_on = on
    institution.save(update_fields=["left_on", "updated_at"])
    cache.changed(institution)
    return institution


@transaction.atomic
def institution_join(*, institution: Institution, on: datetime.date) -> Institution:
    """The institution (re)joins on `on`; a former member's earlier leaving date is cleared."""
    institution.joined_on = on
    institution.left_on = None
    institution.save(update_fields=["joined_on", "left_on", "updated_at"])
    cache.changed(institution)
    return institution


# --- Leadership ----------------------------------------------------------------------------


@transaction.atomic
def leadership_term_create(
    *, institution: Institution, starts_on: datetime.date, ends_on: datetime.date | None = None
) -> LeadershipTerm:
    """A new term. Refused when it overlaps another (checked under a lock on every database)."""
    if ends_on is not None and ends_on < starts_on:
        raise MembershipError(_("A term must end after it starts."))
    list(LeadershipTerm.objects.select_for_update().all())  # serialise concurrent writers
    term = LeadershipTerm(institution=institution, starts_on=starts_on, ends_on=ends_on)
    if term.overlapping().exists():
        raise MembershipError(_("This term overlaps another leadership term."))
    term.save()
    cache.changed(term)
    return term


@transaction.atomic
def steering_seat_create(
    *, member: Member, role: str, starts_on: datetime.date, ends_on: datetime.date | None = None
) -> SteeringGroupSeat:
    if member.status != Member.Status.APPROVED:
        raise MembershipError(_("Only a member can sit on the steering group."))
    seat = SteeringGroupSeat(member=member, role=role, starts_on=starts_on, ends_on=ends_on)
    if role == SteeringGroupSeat.Role.CHAIR:
        chairs = SteeringGroupSeat.objects.select_for_update().filter(role=role)
        if ends_on:
            chairs = chairs.filter(starts_on__lte=ends_on)
        if chairs.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on)).exists():
            raise MembershipError(_("The steering group already has a chair then."))
    seat.save()
    cache.changed(seat)
    audit_seat(seat=seat, created=True)
    return seat


# --- Privacy (GDPR) ------------------------------------------------------------------------


@transaction.atomic
def account_delete(*, user) -> None:
    """Erase her personal data but keep the network's history without her name.

    The login is deactivated and renamed to an address at the reserved `.invalid` domain, her
    name, title and phone are blanked (also in the history rows), her email addresses, MFA
    authenticators and sessions go. Decisions, seats and authorship stay, pointing at "deleted member".
    """
    from allauth.account.models import EmailAddress  # allauth's tables: her addresses
    from allauth.mfa.models import Authenticator  # and second factors
    from django.contrib.sessions.models import Session

    session_store = import_module(settings.SESSION_ENGINE).SessionStore  # the engine's own delete: cache too

    user = User.objects.select_for_update().get(pk=user.pk)
    flags = staff_flags(user)
    user.email = f"deleted-{user.pk}@deleted.invalid"
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save(update_fields=["email", "first_name", "last_name", "is_active", "is_staff", "is_superuser", "password"])
    audit_staff_change(user=user, before=flags)
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    member = Member.objects.filter(user=user).first()
    if member is not None:
        member.title = ""
        member.phone = ""
        member.calendar_token = _new_calendar_token()
        if member.status in (Member.Status.APPROVED, Member.Status.APPLICANT, Member.Status.UNVERIFIED):
            member.status = Member.Status.LEFT
            member.left_at = member.left_at or timezone.now()
        member.save(update_fields=["title", "phone", "calendar_token", "status", "left_at"])
        member.history.update(title="", phone="")
    # Her name goes from every page that lists people: the meetings she came to, the registers, ...
    cache.changed(user)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session_store(session_key=session.session_key).delete()
