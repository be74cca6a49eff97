"""The site-wide pages' rows of the URL x role matrix."""


def build(world: dict) -> None:
    from projects.models import Uptake  # the API's objects are the apps' own (their url_matrix built them)

    world["uptake"] = Uptake.objects.create(
        institution=world["institution"],
        project=world["project"],
        level=Uptake.Level.INFORMED,
        description="Informerat ledningen.",
        starts_on="2026-01-01",
    )


# The API (/api/v1/, kloss_site/api.py) in a browser session: a member reads what her pages show; anyone
# else is refused with the API's statuses (401 without a login, 403 for who may not see the intranet:
# no redirect to a login page or to set up a second factor, which a script could not follow).
API_MEMBERS = {
    "anonymous": 401,
    "applicant": 403,
    "member": 200,
    "host_contact": 200,
    "participant": 200,
    "staff": 200,
    "staff_without_mfa": 403,
}
# A steering-group meeting (and its decisions and actions): the secretariat only among these roles.
API_STAFF_SEES = API_MEMBERS | {"member": 404, "host_contact": 404, "participant": 404}


def api_cases(world: dict) -> list[tuple[str, dict, dict]]:
    from meetings.models import Action, Decision

    steering_decision = Decision.objects.filter(meeting__kind="steering").first()
    steering_action = Action.objects.filter(meeting__kind="steering").first()
    objects = {
        "institution": world["institution"],
        "meeting": world["meeting"],
        "theme": world["project"].theme,
        "decision": world["decision"],
        "action": world["action"],
        "project": world["project"],
        "output": world["output"],
        "uptake": world["uptake"],
    }
    cases = []
    for basename, obj in objects.items():
        cases.append((f"api:{basename}-list", {}, API_MEMBERS))
        cases.append((f"api:{basename}-detail", {"pk": obj.pk}, API_MEMBERS))
    return [
        *cases,
        ("api:meeting-detail", {"pk": world["steering_meeting"].pk}, API_STAFF_SEES),
        ("api:decision-detail", {"pk": steering_decision.pk}, API_STAFF_SEES),
        ("api:action-detail", {"pk": steering_action.pk}, API_STAFF_SEES),
        (
            "api:meeting-detail",
            {"pk": 999999},
            API_MEMBERS | {"member": 404, "host_contact": 404, "participant": 404, "staff": 404},
        ),
        # The schema and its documentation are public: they show no data.
        ("api:schema", {}, dict.fromkeys(API_MEMBERS, 200)),
        ("api:docs", {}, dict.fromkeys(API_MEMBERS, 200)),
    ]


def cases(world: dict) -> list[tuple[str, dict, dict]]:
    from kloss_site.tests.test_url_matrix import ROLES  # the one list of roles

    everyone = dict.fromkeys(ROLES, 200)
    return [
        (
            "landing",
            {},
            {**everyone, "applicant": "pending", "member": 302, "host_contact": 302, "participant": 302, "staff": 302},
        ),
        ("home", {}, {**everyone, "anonymous": "login", "applicant": "pending", "staff_without_mfa": "mfa"}),
        ("healthz", {}, everyone),
        *api_cases(world),
    ]
