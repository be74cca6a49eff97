"""Demo data of the network app: real Swedish HEIs with their email domains, demo users.

Idempotent: every row is looked up by a natural key and created only when missing.
"""

import datetime
import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from .models import Institution, InstitutionDomain, LeadershipTerm, Member, SteeringGroupSeat

DEMO_PASSWORD = "kloss-demo-2026"

# (name, English name, short name, kind, city, domains, joined) — 35 members of the network.
MEMBER_INSTITUTIONS = [
    (
        "Kungliga Tekniska högskolan",
        "KTH Royal Institute of Technology",
        "KTH",
        "university",
        "Stockholm",
        ["kth.se"],
        2017,
    ),
    ("Uppsala universitet", "Uppsala University", "UU", "university", "Uppsala", ["uu.se"], 2017),
    ("Lunds universitet", "Lund University", "LU", "university", "Lund", ["lu.se"], 2017),
    ("Göteborgs universitet", "University of Gothenburg", "GU", "university", "Göteborg", ["gu.se"], 2017),
    ("Stockholms universitet", "Stockholm University", "SU", "university", "Stockholm", ["su.se"], 2017),
    ("Umeå universitet", "Umeå University", "UmU", "university", "Umeå", ["umu.se"], 2017),
    ("Linköpings universitet", "Linköping University", "LiU", "university", "Linköping", ["liu.se"], 2017),
    ("Karolinska institutet", "Karolinska Institutet", "KI", "university", "Solna", ["ki.se"], 2017),
    (
        "Chalmers tekniska högskola",
        "Chalmers University of Technology",
        "Chalmers",
        "university",
        "Göteborg",
        ["chalmers.se"],
        2017,
    ),
    ("Luleå tekniska universitet", "Luleå University of Technology", "LTU", "university", "Luleå", ["ltu.se"], 2017),
    (
        "Sveriges lantbruksuniversitet",
        "Swedish University of Agricultural Sciences",
        "SLU",
        "university",
        "Uppsala",
        ["slu.se"],
        2017,
    ),
    ("Karlstads universitet", "Karlstad University", "KaU", "university", "Karlstad", ["kau.se"], 2017),
    ("Linnéuniversitetet", "Linnaeus University", "LNU", "university", "Växjö", ["lnu.se"], 2017),
    ("Örebro universitet", "Örebro University", "ORU", "university", "Örebro", ["oru.se"], 2017),
    ("Mittuniversitetet", "Mid Sweden University", "MIUN", "university", "Sundsvall", ["miun.se"], 2017),
    ("Malmö universitet", "Malmö University", "MAU", "university", "Malmö", ["mau.se"], 2017),
    ("Mälardalens universitet", "Mälardalen University", "MDU", "university", "Västerås", ["mdu.se"], 2017),
    ("Högskolan i Borås", "University of Borås", "HB", "college", "Borås", ["hb.se"], 2017),
    ("Högskolan Dalarna", "Dalarna University", "HDa", "college", "Falun", ["du.se"], 2017),
    ("Högskolan i Gävle", "University of Gävle", "HiG", "college", "Gävle", ["hig.se"], 2017),
    ("Högskolan i Halmstad", "Halmstad University", "HH", "college", "Halmstad", ["hh.se"], 2017),
    ("Högskolan Kristianstad", "Kristianstad University", "HKR", "college", "Kristianstad", ["hkr.se"], 2017),
    ("Högskolan Väst", "University West", "HV", "college", "Trollhättan", ["hv.se"], 2017),
    ("Högskolan i Skövde", "University of Skövde", "HiS", "college", "Skövde", ["his.se"], 2018),
    (
        "Blekinge tekniska högskola",
        "Blekinge Institute of Technology",
        "BTH",
        "college",
        "Karlskrona",
        ["bth.se"],
        2017,
    ),
    ("Jönköping University", "Jönköping University", "JU", "college", "Jönköping", ["ju.se"], 2017),
    ("Södertörns högskola", "Södertörn University", "SH", "college", "Huddinge", ["sh.se"], 2018),
    ("Försvarshögskolan", "Swedish Defence University", "FHS", "college", "Stockholm", ["fhs.se"], 2019),
    (
        "Gymnastik- och idrottshögskolan",
        "The Swedish School of Sport and Health Sciences",
        "GIH",
        "college",
        "Stockholm",
        ["gih.se"],
        2019,
    ),
    (
        "Konstfack",
        "University of Arts, Crafts and Design",
        "Konstfack",
        "art_college",
        "Stockholm",
        ["konstfack.se"],
        2019,
    ),
    (
        "Kungliga Musikhögskolan",
        "Royal College of Music in Stockholm",
        "KMH",
        "art_college",
        "Stockholm",
        ["kmh.se"],
        2020,
    ),
    (
        "Stockholms konstnärliga högskola",
        "Stockholm University of the Arts",
        "SKH",
        "art_college",
        "Stockholm",
        ["uniarts.se"],
        2020,
    ),
    ("Sophiahemmet Högskola", "Sophiahemmet University", "SHH", "college", "Stockholm", ["shh.se"], 2021),
    ("Marie Cederschiöld högskola", "Marie Cederschiöld University", "MCH", "college", "Stockholm", ["mchs.se"], 2021),
    ("Kungliga Konsthögskolan", "Royal Institute of Art", "KKH", "art_college", "Stockholm", ["kkh.se"], 2022),
]

# Real HEIs that are not (or no longer) members: the signup flags their domains in the queue.
OTHER_INSTITUTIONS = [
    ("Röda Korsets Högskola", "Swedish Red Cross University", "RKH", "college", "Huddinge", ["rkh.se"], 2018, 2022),
    (
        "Enskilda Högskolan Stockholm",
        "University College Stockholm",
        "EHS",
        "college",
        "Stockholm",
        ["ehs.se"],
        None,
        None,
    ),
]


def _institution(name, name_en, short, kind, city, domains, joined, left=None) -> Institution:
    institution, _ = Institution.objects.get_or_create(
        name=name,
        defaults={
            "name_en": name_en,
            "short_name": short,
            "kind": kind,
            "city": city,
            "website": f"https://www.{domains[0]}/",
            "joined_on": datetime.date(joined, 3, 8)
            if joined == 2017
            else (datetime.date(joined, 1, 1) if joined else None),
            "left_on": datetime.date(left, 12, 31) if left else None,
        },
    )
    for domain in domains:
        InstitutionDomain.objects.get_or_create(domain=domain, defaults={"institution": institution})
    return institution


def seed_institutions() -> dict[str, Institution]:
    by_short = {}
    for row in MEMBER_INSTITUTIONS:
        by_short[row[2]] = _institution(*row)
    for row in OTHER_INSTITUTIONS:
        by_short[row[2]] = _institution(*row)
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

# Printed by `make run` (`seed_demo --logins`) and documented in README.md.
DEMO_LOGINS = [
    ("sekretariat@kloss-net.se", f"secretariat (staff, admin; TOTP secret {DEMO_TOTP_SECRET})"),
    ("anna.lind@kth.se", "member, KTH"),
    ("maria.berg@mau.se", "applicant, Malmö universitet"),
    ("erik.johansson@liu.se", "member, steering group chair, LiU"),
    # Roles the meetings and projects demo data give to network demo members:
    ("sofia.lindqvist@su.se", "host contact (Stockholms universitet hosts spring 2027)"),
    ("anders.ek@ju.se", "project coordinator, Jönköping University"),
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
        domain = row[5][0]
        for k in range(1 + index % 3):
            first = FIRST_NAMES[n % len(FIRST_NAMES)]
            last = LAST_NAMES[(n * 7 + 3) % len(LAST_NAMES)]
            title, role = TITLES[(index + k) % len(TITLES)]
            n += 1
            demo_user(
                f"{_ascii(first)}.{_ascii(last)}@{domain}",
                first,
                last,
                institution=institution,
                title=title,
                role=role,
                language="en" if n % 5 == 0 else "sv",
            )


def seed_applicants(institutions: dict[str, Institution]) -> None:
    for email, first, last, short, title in [
        ("johanna.ek@gu.se", "Johanna", "Ek", "GU", "Vicerektor för samverkan"),
        ("peter.holm@gmail.com", "Peter", "Holm", "UU", "Samverkansrådgivare"),  # a domain of no member
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


def seed_leadership(institutions: dict[str, Institution]) -> None:
    for short, start, end in [
        ("KTH", datetime.date(2017, 3, 8), datetime.date(2019, 12, 31)),
        ("LiU", datetime.date(2020, 1, 1), datetime.date(2022, 12, 31)),
        ("MAU", datetime.date(2023, 1, 1), datetime.date(2025, 12, 31)),
        ("UmU", datetime.date(2026, 1, 1), datetime.date(2028, 12, 31)),
    ]:
        LeadershipTerm.objects.get_or_create(
            starts_on=start, defaults={"institution": institutions[short], "ends_on": end}
        )


def seed_steering_group(institutions: dict[str, Institution]) -> None:
    chair = demo_user(
        "erik.johansson@liu.se",
        "Erik",
        "Johansson",
        institution=institutions["LiU"],
        title="Vicerektor för samverkan",
        role=Member.Role.VICE_RECTOR,
    )
    SteeringGroupSeat.objects.get_or_create(
        member=chair, starts_on=datetime.date(2024, 1, 1), defaults={"role": SteeringGroupSeat.Role.CHAIR}
    )
    anna = Member.objects.get(user__email="anna.lind@kth.se")
    SteeringGroupSeat.objects.get_or_create(
        member=anna, starts_on=datetime.date(2017, 3, 8), defaults={"ends_on": datetime.date(2019, 12, 31)}
    )
    SteeringGroupSeat.objects.get_or_create(member=anna, starts_on=datetime.date(2024, 1, 1))
    for short in ["LU", "UmU", "HB"]:
        member = Member.objects.filter(institution=institutions[short], status=Member.Status.APPROVED).first()
        if member:
            SteeringGroupSeat.objects.get_or_create(member=member, starts_on=datetime.date(2024, 1, 1))


def seed_staff_mfa(member: Member) -> None:
    """The demo secretariat gets a TOTP authenticator with the documented secret (the admin requires one)."""
    from allauth.mfa.models import Authenticator  # allauth's table of second factors
    from allauth.mfa.totp.internal.auth import TOTP

    if not Authenticator.objects.filter(user=member.user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(member.user, DEMO_TOTP_SECRET)


def seed() -> None:
    """Create the network's demo data."""
    institutions = seed_institutions()
    staff = demo_user("sekretariat@kloss-net.se", "Sara", "Sekreterare", staff=True, title="Nätverkssekreterare")
    seed_staff_mfa(staff)
    demo_user(
        "anna.lind@kth.se",
        "Anna",
        "Lind",
        institution=institutions["KTH"],
        title="Vicerektor för samverkan",
        role=Member.Role.VICE_RECTOR,
    )
    demo_user(
        "maria.berg@mau.se",
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
