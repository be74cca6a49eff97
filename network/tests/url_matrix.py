"""The network app's rows of the URL x role matrix (see kloss_site/tests/test_url_matrix.py)."""

import uuid

from network.models import Message
from network.tests.factories import ApplicantFactory

MEMBERS_ONLY = {
    "anonymous": "login",
    "applicant": "pending",
    "member": 200,
    "host_contact": 200,
    "participant": 200,
    "staff": 200,
    # Staff rights need a second factor in the session: without one she is sent to set it up.
    "staff_without_mfa": "mfa",
}
EVERY_LOGIN = {
    "anonymous": "login",
    "applicant": 200,
    "member": 200,
    "host_contact": 200,
    "participant": 200,
    "staff": 200,
    "staff_without_mfa": 200,  # what any account may do needs no staff rights
}
STAFF_ONLY = {
    "anonymous": "login",
    "applicant": 403,
    "member": 403,
    "host_contact": 403,
    "participant": 403,
    "staff": 200,
    "staff_without_mfa": "mfa",
}

NOT_FOUND = dict.fromkeys(["applicant", "member", "host_contact", "participant"], 404)


def build(world: dict) -> None:
    # Someone whose profile no member may open: an applicant of another institution.
    world["other_applicant"] = ApplicantFactory()
    # Messages to members: one the secretariat sent, one the host contact sent.
    world["staff_message"] = Message.objects.create(
        subject_sv="Till alla", body_sv="Hej", created_by=world["staff"], token=uuid.uuid4()
    )
    world["host_message"] = Message.objects.create(
        subject_sv="Till deltagarna", body_sv="Hej", created_by=world["host_contact"], token=uuid.uuid4()
    )


def cases(world: dict) -> list[tuple[str, dict, dict]]:
    institution = world["institution"]
    member = world["member"].member
    hidden = world["other_applicant"]
    return [
        ("network:application_status", {}, EVERY_LOGIN),
        ("network:privacy_notice", {}, dict.fromkeys(EVERY_LOGIN, 200)),
        ("network:data_export", {}, EVERY_LOGIN),
        ("network:account_delete", {}, EVERY_LOGIN),
        # Staff without a Member row have no profile to edit or membership to leave: 404.
        ("network:profile_edit", {}, {**EVERY_LOGIN, "staff": 404, "staff_without_mfa": 404}),
        ("network:member_leave", {}, {**EVERY_LOGIN, "applicant": 403, "staff": 404, "staff_without_mfa": 404}),
        ("network:institution_list", {}, MEMBERS_ONLY),
        ("network:institution_detail", {"slug": institution.slug}, MEMBERS_ONLY),
        (
            "network:institution_detail",
            {"slug": "no-such-institution"},
            {**MEMBERS_ONLY, **dict.fromkeys(["member", "host_contact", "participant", "staff"], 404)},
        ),
        ("network:member_list", {}, MEMBERS_ONLY),
        ("network:member_detail", {"pk": member.pk}, MEMBERS_ONLY),
        # An applicant's profile is not visible to anyone: 404, not 403.
        (
            "network:member_detail",
            {"pk": hidden.pk},
            {**MEMBERS_ONLY, **dict.fromkeys(["member", "host_contact", "participant", "staff"], 404)},
        ),
        ("network:steering_group", {}, MEMBERS_ONLY),
        ("network:approval_list", {}, STAFF_ONLY),
        # Deciding is POST only: staff get 405 for a GET, everyone else is refused first.
        ("network:approval_decide", {"pk": hidden.pk}, {**STAFF_ONLY, "staff": 405}),
        ("network:message_list", {}, STAFF_ONLY),
        ("network:message_create", {}, STAFF_ONLY),
        # A message is seen by the secretariat and by who wrote it; anyone else: 404, not 403.
        ("network:message_detail", {"pk": world["staff_message"].pk}, {**STAFF_ONLY, **NOT_FOUND}),
        (
            "network:message_detail",
            {"pk": world["host_message"].pk},
            {**STAFF_ONLY, **NOT_FOUND, "host_contact": 200},
        ),
    ]
