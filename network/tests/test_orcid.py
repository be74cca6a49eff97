"""A member's ORCID iD: normalised, its check character verified, saved from her profile."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from network.orcid import normalise_orcid, orcid_is_valid, validate_orcid


@pytest.mark.parametrize(
    "value",
    ["0000-0002-1825-0097", "https://orcid.org/0000-0002-1825-0097", "0000000218250097", "0000-0002-1694-233x"],
)
def test_valid_orcids_in_any_usual_form(value):
    assert orcid_is_valid(value)
    validate_orcid(value)


@pytest.mark.parametrize(
    "value", ["0000-0002-1825-0098", "0000-0002-1825", "abcd-efgh-ijkl-mnop", "0000-0002-1825-009X"]
)
def test_a_wrong_check_character_or_shape_is_refused(value):
    with pytest.raises(ValidationError):
        validate_orcid(value)


def test_normalised_without_prefix_and_grouped():
    assert normalise_orcid(" http://orcid.org/000000021694233x ") == "0000-0002-1694-233X"


def test_profile_saves_a_normalised_orcid_and_refuses_a_bad_one(member_client, member):
    url = reverse("network:profile_edit")
    data = {"title": member.title, "phone": "", "language": "sv", "optional_reminders": "on"}

    bad = member_client.post(url, {**data, "orcid": "0000-0002-1825-0098"})
    assert bad.status_code == 200 and "inte ett giltigt ORCID iD" in bad.content.decode()

    member_client.post(url, {**data, "orcid": "https://orcid.org/0000-0002-1825-0097"})
    member.refresh_from_db()
    assert member.orcid == "0000-0002-1825-0097"
    profile = member_client.get(member.get_absolute_url()).content.decode()
    assert 'href="https://orcid.org/0000-0002-1825-0097"' in profile
