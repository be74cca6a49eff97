"""Loading the signed-in user on every request (network/backends.py): one joined query gives what
the ORM's queryset gives, and nothing is kept across requests."""

import pytest
from django.contrib.auth import get_user_model
from django.forms.models import model_to_dict

from network.backends import ModelBackend, load_user, user_queryset
from network.models import Member
from network.tests.factories import MemberFactory, StaffUserFactory, UserFactory, login

pytestmark = pytest.mark.django_db


def test_the_user_her_member_row_and_institution_are_what_the_orm_loads(django_assert_num_queries):
    member = MemberFactory(title="Prorektor", phone="+46 8 790 60 00")
    expected = user_queryset().get(pk=member.user_id)
    with django_assert_num_queries(1):  # one joined query; reading her membership costs nothing more
        user = load_user(str(member.user_id))  # the session keeps the id as a string
        loaded_member, loaded_institution = user.member, user.member.institution
        assert loaded_member.user is user  # both directions of the one-to-one are set
    assert model_to_dict(user) == model_to_dict(expected)
    assert model_to_dict(loaded_member) == model_to_dict(expected.member)
    assert model_to_dict(loaded_institution) == model_to_dict(expected.member.institution)
    assert user.member.title == "Prorektor"
    assert not user._state.adding and user._state.db == "default"  # a saved row: save() updates it


def test_a_user_without_a_member_row_is_loaded_without_one(django_assert_num_queries):
    staff = StaffUserFactory()
    with django_assert_num_queries(1):
        user = load_user(staff.pk)
        assert user == staff and user.is_staff
        assert not hasattr(user, "member")  # known to be missing: no second query asks again
    with pytest.raises(Member.DoesNotExist):
        user.member  # noqa: B018 (the access is the test)


def test_unknown_or_malformed_ids_load_nobody(django_assert_num_queries):
    assert load_user(10**9) is None
    with django_assert_num_queries(0):
        assert load_user("not-a-number") is None


def test_every_load_reads_the_row_again(django_assert_num_queries):
    """A permission input: a change (a new password, a revoked staff flag) shows on the next request."""
    user = UserFactory(is_staff=True)
    assert load_user(user.pk).is_staff
    get_user_model().objects.filter(pk=user.pk).update(is_staff=False, password="changed")
    reloaded = load_user(user.pk)
    assert not reloaded.is_staff and reloaded.password == "changed"


def test_the_backend_refuses_an_inactive_user():
    user = MemberFactory().user
    assert ModelBackend().get_user(user.pk) == user
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert ModelBackend().get_user(user.pk) is None


def test_a_signed_in_member_is_signed_out_when_her_password_changes(client):
    """The session's hash is checked against the row loaded on each request: a password changed
    elsewhere (another device, the secretariat) ends this session at its next request."""
    member = MemberFactory()
    login(client, member.user)
    assert client.get("/home/").status_code == 200
    member.user.set_password("a-completely-new-passphrase")
    member.user.save(update_fields=["password"])
    response = client.get("/home/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
