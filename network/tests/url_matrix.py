"""The network app's rows of the URL x role matrix (see kloss_site/tests/test_url_matrix.py)."""

MEMBERS_ONLY = {
    "anonymous": "login",
    "applicant": "pending",
    "member": 200,
    "host_contact": 200,
    "participant": 200,
    "staff": 200,
}


def build(world: dict) -> None:
    pass


def cases(world: dict) -> list[tuple[str, dict, dict]]:
    institution = world["institution"]
    member = world["member"].member
    return [
        (
            "network:application_status",
            {},
            {
                "anonymous": "login",
                "applicant": 200,
                "member": 200,
                "host_contact": 200,
                "participant": 200,
                "staff": 200,
            },
        ),
        ("network:institution_list", {}, MEMBERS_ONLY),
        ("network:institution_detail", {"slug": institution.slug}, MEMBERS_ONLY),
        ("network:member_list", {}, MEMBERS_ONLY),
        ("network:member_detail", {"pk": member.pk}, MEMBERS_ONLY),
    ]
