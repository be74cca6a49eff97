"""What the network's pages keep in the cache (network/cache/), and what a change of the network's
rows touches: declared once, read by the views, the templates (`{% fragment %}`) and the services.

Namespaces of the network: `institution:<pk>` (its page), `member:<pk>` (her own panels on her
home page, and her rights there: status, institution, steering group), `directory` (the member
directory and the lists of members to choose from), `institutions` (the names of institutions, shown
on nearly every page), `people` (the names of people, shown in lists of participants and owners),
`home` (the part of the home page that is the same for everyone: the network's lead, the steering
group, the latest results), `leadership` (who leads the network: every institution's page says
so), `secretariat` (the staff's counts)."""

from . import cache
from .models import Institution, InstitutionDomain, LeadershipTerm, Member, SteeringGroupSeat, User

# Its projects show their themes; every institution's page says who leads the network.
INSTITUTION = cache.Fragment(
    "institution", ("institution:{institution}", "institutions", "people", "themes", "leadership")
)
INSTITUTION_ROW = cache.Fragment("row:institution_page", ("institutions",))
DIRECTORY = cache.Fragment("directory", ("directory", "institutions", "people"))
MEMBER_INSTITUTIONS = cache.Fragment("choices:member_institutions", ("institutions",))

STATUS_FIELDS = {"status", "institution", "role"}


def _member(member: Member, fields):
    yield f"institution:{member.institution_id}"
    yield "directory"
    if fields is None or fields & STATUS_FIELDS:
        # Her own panels (her home page) show her projects, answers and actions, not her title,
        # phone or preferences: only her status or institution changes them.
        yield f"member:{member.pk}"
        yield "secretariat"  # applied, approved, rejected, left: the staff's queue
    if fields is None or "institution" in fields:
        yield "people"  # lists of people show each one's institution beside her name


def _user(user: User, fields):
    # A name or e-mail address, shown wherever people are listed. (The user row itself is a
    # permission input: never cached across requests, see network/backends.py.)
    yield "people"
    member = Member.objects.filter(user=user).only("pk", "institution_id").first()
    if member is not None:
        yield from _member(member, frozenset())


def _institution(institution: Institution, fields):
    yield f"institution:{institution.pk}"
    yield "institutions"


cache.declare(Institution, _institution)
cache.declare(InstitutionDomain, lambda domain, fields: [f"institution:{domain.institution_id}"])
cache.declare(Member, _member)
cache.declare(User, _user)
# The lead shows on every institution's page ("led by"), the old lead's as well as the new one's.
cache.declare(LeadershipTerm, lambda term, fields: [f"institution:{term.institution_id}", "home", "leadership"])
cache.declare(SteeringGroupSeat, lambda seat, fields: [f"member:{seat.member_id}", "home"])
