"""Reads shared by views, the admin, the home page and tests, with their joins made explicit."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from .models import Institution, InstitutionDomain, LeadershipTerm, Member, SteeringGroupSeat


def member_directory() -> QuerySet[Member]:
    """Every member who may use the intranet, with her institution and whether she sits on the
    steering group today (one query per page, however many rows)."""
    return (
        Member.objects.active()
        .select_related("user", "institution")
        .annotate(on_steering_group=Exists(SteeringGroupSeat.objects.current().filter(member=OuterRef("pk"))))
        .order_by("user__last_name", "user__first_name", "user__id")  # index user_directory_order
    )


def visible_members() -> QuerySet[Member]:
    """Profiles a member may open: the active ones (anyone else answers 404)."""
    return member_directory()


def institution_list() -> QuerySet[Institution]:
    return Institution.objects.current_members().prefetch_related("domains")


def current_lead() -> LeadershipTerm | None:
    return LeadershipTerm.objects.current().select_related("institution").first()


def current_steering_group() -> QuerySet[SteeringGroupSeat]:
    return (
        SteeringGroupSeat.objects.current()
        .filter(member__in=Member.objects.active())
        .select_related("member__user", "member__institution")
        .order_by("role", "member__user__last_name")
    )


def member_domains() -> set[str]:
    return set(
        InstitutionDomain.objects.filter(institution__in=Institution.objects.current_members()).values_list(
            "domain", flat=True
        )
    )


def domain_is_member(email: str, domains: set[str]) -> bool:
    parts = email.rsplit("@", 1)[-1].lower().split(".")
    return any(".".join(parts[i:]) in domains for i in range(len(parts) - 1))


def approval_queue() -> list[Member]:
    """Applicants, oldest first, each flagged `domain_ok` when her email domain is a member institution's."""
    domains = member_domains()
    applicants = list(Member.objects.applicants().select_related("user", "institution").order_by("applied_at"))
    for applicant in applicants:
        applicant.domain_ok = domain_is_member(applicant.user.email, domains)
    return applicants


def member_personal_data(user) -> dict:
    """Everything the intranet holds about this person (the GDPR export), as JSON-ready data."""
    from allauth.account.models import EmailAddress  # allauth's table: her addresses
    from allauth.mfa.models import Authenticator

    def iso(value):
        return value.isoformat() if value else None

    data = {
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": iso(user.date_joined),
            "last_login": iso(user.last_login),
            "email_addresses": [
                {"email": a.email, "verified": a.verified, "primary": a.primary}
                for a in EmailAddress.objects.filter(user=user)
            ],
            "second_factors": [a.type for a in Authenticator.objects.filter(user=user)],
        },
        "member": None,
    }
    member = Member.objects.select_related("institution", "decided_by").filter(user=user).first()
    if member is not None:
        data["member"] = {
            "institution": member.institution.name if member.institution else None,
            "title": member.title,
            "role": member.role,
            "phone": member.phone,
            "status": member.status,
            "language": member.language,
            "optional_reminders": member.optional_reminders,
            "applied_at": iso(member.applied_at),
            "decided_at": iso(member.decided_at),
            "decision_note": member.decision_note,
            "privacy_version": member.privacy_version,
            "privacy_accepted_at": iso(member.privacy_accepted_at),
            "left_at": iso(member.left_at),
            "steering_group_seats": [
                {"role": s.role, "from": iso(s.starts_on), "to": iso(s.ends_on)} for s in member.steering_seats.all()
            ],
            "history": [
                {
                    "date": iso(h.history_date),
                    "type": h.history_type,
                    "status": h.status,
                    "title": h.title,
                    "reason": h.history_change_reason,
                }
                for h in member.history.all()
            ],
            # Messages to members she was sent (network/messages/messaging.py), in the language she got.
            "messages_received": [
                {"subject": r.message.subject_in(r.language), "sent_at": iso(r.message.sent_at), "language": r.language}
                for r in member.messages_received.select_related("message").order_by("message__sent_at", "pk")
            ],
        }
    return data
