"""The site-wide pages' rows of the URL x role matrix."""


def build(world: dict) -> None:
    pass


def cases(world: dict) -> list[tuple[str, dict, dict]]:
    everyone = dict.fromkeys(["anonymous", "applicant", "member", "host_contact", "participant", "staff"], 200)
    return [
        (
            "landing",
            {},
            {**everyone, "applicant": "pending", "member": 302, "host_contact": 302, "participant": 302, "staff": 302},
        ),
        ("home", {}, {**everyone, "anonymous": "login", "applicant": "pending"}),
        ("healthz", {}, everyone),
    ]
