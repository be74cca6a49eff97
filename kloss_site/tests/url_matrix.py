"""The site-wide pages' rows of the URL x role matrix."""


def build(world: dict) -> None:
    pass


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
    ]
