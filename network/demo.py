"""Demo data of the network app: real Swedish HEIs with their email domains, demo users.

Idempotent: every row is looked up by a natural key and created only when missing.
"""

import datetime
import functools
import uuid

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from network.messages.messaging import KIND
from network.messages.models import Message, MessageRecipient
from network.outbox.models import Delivery
from network.outbox.worker import object_key_of

from . import reference
from .models import Institution, InstitutionDomain, LeadershipTerm, Member, SteeringGroupSeat

DEMO_PASSWORD = "kloss-demo-2026"

# The 35 member institutions are reference data (network/reference.py, loaded by a migration); the
# demo builds on them. Kept here under their old names for the demo's callers.
MEMBER_INSTITUTIONS = reference.MEMBER_INSTITUTIONS
OTHER_INSTITUTIONS = reference.OTHER_INSTITUTIONS

# Demo people get addresses that cannot be delivered: a subdomain per institution of the reserved
# domain example.org (RFC 2606), e.g. anna.lind@kth.example.org. A development run never mails a
# real-looking person, whatever the mail settings.
DEMO_MAIL_DOMAIN = "example.org"


def demo_domain(domain: str) -> str:
    """`kth.se` -> `kth.example.org`: the undeliverable domain of an institution's demo people."""
    return f"{domain.split('.')[0]}.{DEMO_MAIL_DOMAIN}"


def demo_email(local: str, short: str) -> str:
    """`demo_email("anna.lind", "KTH")` -> `anna.lind@kth.example.org`."""
    domains = {row[2]: row[5][0] for row in [*MEMBER_INSTITUTIONS, *OTHER_INSTITUTIONS]}
    return f"{local}@{demo_domain(domains[short])}"


def seed_institutions() -> dict[str, Institution]:
    """The reference institutions (present after migrate; loaded again here for empty test databases),
    plus each member's demo domain, so signup on a development site suggests the institution too."""
    by_short = reference.load(Institution, InstitutionDomain)
    for _name, _en, short, _kind, _city, domains in MEMBER_INSTITUTIONS:
        InstitutionDomain.objects.get_or_create(
            domain=demo_domain(domains[0]), defaults={"institution": by_short[short]}
        )
    return by_short


@functools.cache
def demo_password_hash() -> str:
    """The demo password hashed once (a hash takes ~0.3 s by design; the demo has 70 users)."""
    return make_password(DEMO_PASSWORD)


def demo_user(
    email: str,
    first: str,
    last: str,
    *,
    institution=None,
    title="",
    role=Member.Role.OTHER,
    status=Member.Status.APPROVED,
    staff=False,
    language="sv",
) -> Member:
    """A demo login with the documented password, and its Member row (idempotent)."""
    from allauth.account.models import EmailAddress  # allauth's model: the address counts as verified

    User = get_user_model()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, first_name=first, last_name=last, is_staff=staff, is_superuser=staff)
        user.password = demo_password_hash()
        user.save()
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    member, _ = Member.objects.get_or_create(
        user=user,
        defaults={
            "institution": institution,
            "title": title,
            "role": role,
            "status": status,
            "language": language,
            "privacy_version": "2026-11",
            "privacy_accepted_at": timezone.now(),
            "decided_at": timezone.now() if status == Member.Status.APPROVED else None,
        },
    )
    return member


# The admin requires a second factor. The demo secretariat's TOTP secret: add it to any authenticator
# app, or print a code with `oathtool --totp -b JBSWY3DPEHPK3PXPKLOSSNETDEMO2345`. Demo only.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPKLOSSNETDEMO2345"

STAFF_EMAIL = f"sekretariat@kloss-net.{DEMO_MAIL_DOMAIN}"

# Printed by `make run` (`seed_demo --logins`, which adds the next meeting's host contact) and
# documented in README.md.
DEMO_LOGINS = [
    (STAFF_EMAIL, f"secretariat (staff, admin; TOTP secret {DEMO_TOTP_SECRET})"),
    ("anna.lind@kth.example.org", "member, KTH; on the steering group since 2017"),
    ("maria.berg@mau.example.org", "applicant, Malmö universitet"),
    ("erik.johansson@liu.example.org", "member, steering group chair, LiU"),
    # A role the projects demo data gives to a network demo member:
    ("anders.ek@ju.example.org", "project coordinator, Jönköping University (a report to write)"),
]

FIRST_NAMES = [
    "Karin",
    "Lars",
    "Eva",
    "Anders",
    "Ingrid",
    "Johan",
    "Helena",
    "Mikael",
    "Sofia",
    "Per",
    "Annika",
    "Magnus",
    "Cecilia",
    "Fredrik",
    "Ulrika",
    "Henrik",
    "Åsa",
    "Jonas",
    "Malin",
    "Olof",
]
LAST_NAMES = [
    "Andersson",
    "Nilsson",
    "Karlsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Larsson",
    "Olsson",
    "Eriksson",
    "Lindqvist",
    "Holm",
    "Bergström",
    "Sandberg",
    "Forsberg",
    "Ek",
    "Sjöberg",
    "Wallin",
    "Lundgren",
    "Åberg",
    "Hedlund",
    "Nyström",
    "Strand",
]
TITLES = [
    ("Vicerektor för samverkan", Member.Role.VICE_RECTOR),
    ("Prorektor", Member.Role.DEPUTY_VC),
    ("Samverkanschef", Member.Role.HEAD_OFFICE),
    ("Samverkansstrateg", Member.Role.COORDINATOR),
]


def _ascii(name: str) -> str:
    return name.lower().translate(str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e"}))


def seed_members(institutions: dict[str, Institution]) -> None:
    """1-3 approved representatives at most member institutions (names chosen deterministically)."""
    n = 0
    for index, row in enumerate(MEMBER_INSTITUTIONS):
        if index % 7 == 6:  # a few institutions have nobody registered yet
            continue
        institution = institutions[row[2]]
        for k in range(1 + index % 3):
            first = FIRST_NAMES[n % len(FIRST_NAMES)]
            last = LAST_NAMES[(n * 7 + 3) % len(LAST_NAMES)]
            title, role = TITLES[(index + k) % len(TITLES)]
            n += 1
            demo_user(
                demo_email(f"{_ascii(first)}.{_ascii(last)}", row[2]),
                first,
                last,
                institution=institution,
                title=title,
                role=role,
                language="en" if n % 5 == 0 else "sv",
            )


def seed_applicants(institutions: dict[str, Institution]) -> None:
    for email, first, last, short, title in [
        (demo_email("johanna.ek", "GU"), "Johanna", "Ek", "GU", "Vicerektor för samverkan"),
        # a private address, at a domain of no member (example.net is reserved too)
        ("peter.holm@example.net", "Peter", "Holm", "UU", "Samverkansrådgivare"),
    ]:
        demo_user(
            email,
            first,
            last,
            institution=institutions[short],
            title=title,
            role=Member.Role.VICE_RECTOR,
            status=Member.Status.APPLICANT,
        )


# Who led the network: KTH the first two years (2017-2018), then three-year terms in turn.
LEADERS = ["KTH", "LiU", "MAU", "UmU", "GU", "LU"]


def leadership_terms(today: datetime.date) -> list[tuple[str, datetime.date, datetime.date]]:
    """(short name, from, to): KTH 8 March 2017 - 2018, then three-year terms up to one covering today."""
    terms = [("KTH", reference.FOUNDED_ON, datetime.date(2018, 12, 31))]
    year, turn = 2019, 1
    while year <= today.year:
        terms.append((LEADERS[turn % len(LEADERS)], datetime.date(year, 1, 1), datetime.date(year + 2, 12, 31)))
        year, turn = year + 3, turn + 1
    return terms


def seed_leadership(institutions: dict[str, Institution]) -> None:
    for short, start, end in leadership_terms(timezone.localdate()):
        term = LeadershipTerm(institution=institutions[short], starts_on=start, ends_on=end)
        if not term.overlapping().exists():  # a database seeded by an older demo keeps its terms
            term.save()


def _steering_member(institution: Institution) -> Member | None:
    return (
        Member.objects.filter(institution=institution, status=Member.Status.APPROVED)
        .exclude(user__email=STAFF_EMAIL)
        .order_by("pk")
        .first()
    )


def seed_steering_group(institutions: dict[str, Institution]) -> None:
    """A steering group through the years: in every leadership term a chair (the leading institution's
    representative; Erik Johansson, LiU, in the running term) and three others; Anna Lind (KTH) since 2017."""
    chair = demo_user(
        demo_email("erik.johansson", "LiU"),
        "Erik",
        "Johansson",
        institution=institutions["LiU"],
        title="Vicerektor för samverkan",
        role=Member.Role.VICE_RECTOR,
    )
    anna = Member.objects.get(user__email=demo_email("anna.lind", "KTH"))
    terms = leadership_terms(timezone.localdate())
    pool = list(
        Member.objects.filter(status=Member.Status.APPROVED, institution__isnull=False)
        .exclude(pk__in=[chair.pk, anna.pk])
        .order_by("pk")
    )
    seats = []
    for number, (leader, start, end) in enumerate(terms):
        current = number == len(terms) - 1
        # The chair of the running term is Erik Johansson (LiU), the documented demo login.
        chairing = chair if current else _steering_member(institutions[leader])
        seats.append((chairing, start, None if current else end, SteeringGroupSeat.Role.CHAIR))
        for k in range(3):
            member = pool[(number * 5 + k) % len(pool)] if pool else None
            seats.append((member, start, None if current else end, SteeringGroupSeat.Role.MEMBER))
    # Anna Lind (README: "on the steering group since 2017") sits on it without a break to this day: when
    # KTH's first term made her its chair (2017-2018), she stays on as a member from the next day.
    anna_ends = [end for member, _start, end, _role in seats if member and member.pk == anna.pk]
    if not anna_ends:
        seats.append((anna, reference.FOUNDED_ON, None, SteeringGroupSeat.Role.MEMBER))
    elif None not in anna_ends:
        seats.append((anna, max(anna_ends) + datetime.timedelta(days=1), None, SteeringGroupSeat.Role.MEMBER))
    taken = set()
    for member, start, end, role in seats:
        if member is None or (member.pk, start) in taken:
            continue
        taken.add((member.pk, start))
        SteeringGroupSeat.objects.get_or_create(member=member, starts_on=start, defaults={"ends_on": end, "role": role})


def seed_staff_mfa(member: Member) -> None:
    """The demo secretariat gets a TOTP authenticator with the documented secret (the admin requires one)."""
    from allauth.mfa.models import Authenticator  # allauth's table of second factors
    from allauth.mfa.totp.internal.auth import TOTP

    if not Authenticator.objects.filter(user=member.user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(member.user, DEMO_TOTP_SECRET)


def seed() -> None:
    """Create the network's demo data (on top of the reference institutions)."""
    institutions = seed_institutions()
    staff = demo_user(STAFF_EMAIL, "Sara", "Sekreterare", staff=True, title="Nätverkssekreterare")
    seed_staff_mfa(staff)
    demo_user(
        demo_email("anna.lind", "KTH"),
        "Anna",
        "Lind",
        institution=institutions["KTH"],
        title="Vicerektor för samverkan",
        role=Member.Role.VICE_RECTOR,
    )
    demo_user(
        demo_email("maria.berg", "MAU"),
        "Maria",
        "Berg",
        institution=institutions["MAU"],
        title="Prorektor",
        role=Member.Role.VICE_RECTOR,
        status=Member.Status.APPLICANT,
    )
    seed_members(institutions)
    seed_applicants(institutions)
    seed_leadership(institutions)
    seed_steering_group(institutions)
    seed_messages(staff.user)


def seed_messages(secretariat) -> None:
    """One message the secretariat sent to every member three weeks ago, each delivery recorded as
    sent (the demo mails nobody): the message list and a sent message's page have something to show."""
    sent_at = timezone.now() - datetime.timedelta(days=21)
    message, created = Message.objects.get_or_create(
        subject_sv="Välkommen till nätverkets nya intranät",
        defaults={
            "body_sv": "Här finns möten, projekt och resultat samlade. Hör av er till sekretariatet med frågor.",
            "subject_en": "Welcome to the network's new intranet",
            "body_en": "Meetings, projects and results are gathered here. Ask the secretariat if anything is unclear.",
            "created_by": secretariat,
            "created_at": sent_at,
            "sent_at": sent_at,
            "token": uuid.uuid4(),
        },
    )
    if not created:
        return
    content_type = ContentType.objects.get_for_model(Message)
    for member in Member.objects.active().select_related("user").order_by("pk"):
        language = message.language_for(member.language)
        delivery = Delivery.objects.create(
            kind=KIND,
            object_key=object_key_of(message),
            content_type=content_type,
            object_id=message.pk,
            recipient=member,
            due_at=sent_at,
            status=Delivery.Status.SENT,
            attempts=1,
            sent_at=sent_at,
            context={"language": language},
        )
        MessageRecipient.objects.create(message=message, member=member, language=language, delivery=delivery)
