import datetime

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from network.api.services import api_token_issue
from network.models import Institution, InstitutionDomain, LeadershipTerm, Member, SteeringGroupSeat

PASSWORD = "correct-horse-battery-staple"

# Names are drawn in turn, not at random: a random Swedish surname could be the very name a test
# searches for or asserts absent ("Nyström", "Öhman", ...). None of these is a prefix of another, and
# none is a name the tests write out, so a generated name never matches a test's own.
FIRST_NAMES = [
    "Agnes",
    "Bengt",
    "Cecilia",
    "Dag",
    "Ebba",
    "Fredrik",
    "Gunilla",
    "Hugo",
    "Ingrid",
    "Jonas",
    "Kerstin",
    "Lennart",
    "Märta",
    "Nils",
    "Ottilia",
    "Pontus",
    "Ragnhild",
    "Stig",
    "Tyra",
    "Ulf",
]
LAST_NAMES = [
    "Alm",
    "Bäck",
    "Ceder",
    "Dahl",
    "Ek",
    "Falk",
    "Gran",
    "Hed",
    "Idegran",
    "Jarl",
    "Kvist",
    "Lodén",
    "Mörk",
    "Norr",
    "Orre",
    "Pil",
    "Rask",
    "Stare",
    "Tall",
    "Uggla",
]


def _last_name(n: int) -> str:
    """Unique for the first 400 users of a run: two surnames joined (`Alm-Falk`), as Swedes do."""
    first, second = divmod(n % (len(LAST_NAMES) ** 2), len(LAST_NAMES))
    return f"{LAST_NAMES[first]}-{LAST_NAMES[second]}"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.se")
    first_name = factory.Sequence(lambda n: FIRST_NAMES[n % len(FIRST_NAMES)])
    last_name = factory.Sequence(_last_name)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Every factory user has a verified primary address unless `verified=False`."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
        if create:
            self.save()


class StaffUserFactory(UserFactory):
    is_staff = True
    is_superuser = True


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Högskolan nr {n}")
    short_name = factory.Sequence(lambda n: f"H{n}")
    slug = factory.Sequence(lambda n: f"h{n}")
    joined_on = datetime.date(2017, 3, 8)

    @factory.post_generation
    def domain(self, create, extracted, **kwargs):
        if create:
            InstitutionDomain.objects.create(institution=self, domain=extracted or f"{self.slug}.example.se")


class MemberFactory(factory.django.DjangoModelFactory):
    """An approved member of a current member institution unless told otherwise."""

    class Meta:
        model = Member

    user = factory.SubFactory(UserFactory)
    institution = factory.SubFactory(InstitutionFactory)
    title = "Vicerektor för samverkan"
    role = Member.Role.VICE_RECTOR
    status = Member.Status.APPROVED
    privacy_version = "2026-11"
    privacy_accepted_at = factory.LazyFunction(timezone.now)
    decided_at = factory.LazyFunction(timezone.now)


class ApplicantFactory(MemberFactory):
    status = Member.Status.APPLICANT
    decided_at = None


class LeadershipTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LeadershipTerm

    institution = factory.SubFactory(InstitutionFactory)
    starts_on = datetime.date(2017, 3, 8)
    ends_on = datetime.date(2019, 12, 31)


class SteeringGroupSeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SteeringGroupSeat

    member = factory.SubFactory(MemberFactory)
    role = SteeringGroupSeat.Role.MEMBER
    starts_on = datetime.date(2024, 1, 1)
    ends_on = None


TOTP_SECRET = "JBSWY3DPEHPK3PXP"


def activate_totp(user) -> None:
    """Set up TOTP for `user`, as allauth's activation page does."""
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, TOTP_SECRET)


def login(client, user) -> None:
    """`client.force_login(user)`, and the session a real login leaves: allauth records each step
    (the password; then the second factor, for a user with TOTP set up, which allauth's login always
    asks for). Staff rights need that second step (network/mfa.py)."""
    from allauth.account.internal.flows.login import record_authentication  # allauth's session log
    from allauth.mfa.models import Authenticator
    from django.http import HttpRequest

    client.force_login(user)
    request = HttpRequest()
    request.session = client.session
    record_authentication(request, user, "password", email=user.email)
    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if totp is not None:
        record_authentication(request, user, "mfa", id=totp.pk, type=totp.type)
    request.session.save()


def post_institution_change(staff_client, institution, **changes):
    """Save `institution` through the admin's change form, as a browser posts it: the form's current
    values (no domain rows) with `changes` in place. Returns the response (302 when saved)."""
    from django.urls import reverse

    change = reverse("admin:network_institution_change", args=[institution.pk])
    form = staff_client.get(change).context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update(
        {
            "joined_on": institution.joined_on.isoformat() if institution.joined_on else "",
            "domains-TOTAL_FORMS": "0",
            "domains-INITIAL_FORMS": "0",
            **changes,
        }
    )
    return staff_client.post(change, {k: v for k, v in data.items() if v is not None})


def issue_api_token(institution=None, scope: str = "read_members", *, note: str = "test", days: int = 30):
    """An API token issued by the service (network/api/services.py): its row and its secret (`.secret`)."""
    return api_token_issue(
        by=None,
        institution=institution,
        scope=scope,
        expires_at=timezone.now() + datetime.timedelta(days=days),
        note=note,
    )
