"""The texts people read on allauth's pages and in its emails, in the site's own words."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from meetings.forms import DocumentForm
from network.tests.factories import InstitutionFactory, MemberFactory
from network.tests.test_views import signup_data

pytestmark = pytest.mark.django_db


def test_login_page_invites_to_sign_up_and_links_the_signup_page(client):
    page = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No account yet?" in page
    assert f'<a href="{reverse("account_signup")}">' in page
    assert "Already have an account" not in page


def test_allauth_labels_have_no_trailing_colon(client):
    page = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<label for="id_password">Password</label>' in page
    assert ":</label>" not in page
    reset = client.get(reverse("account_reset_password"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<label for="id_email">' in reset  # the reset form, with its label
    assert ":</label>" not in reset


def test_remember_me_checkbox_sits_before_its_label(client):
    page = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    checkbox = page.index('id="id_remember"')
    assert checkbox < page.index('<label for="id_remember">') < checkbox + 200


def test_confirmation_email_greets_with_the_site_name_not_the_host(
    client, settings, django_capture_on_commit_callbacks
):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    InstitutionFactory(domain="mau.se")
    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends after the commit
        client.post(reverse("account_signup"), signup_data("per@mau.se"), HTTP_ACCEPT_LANGUAGE="en")
    [message] = [m for m in mail.outbox if "per@mau.se" in m.to]
    assert message.body.startswith("Hello from KLOSS-Net!")
    assert "testserver" not in message.body.split("http", 1)[0]  # only the link names the host
    assert "email address" in message.body and "e-mail" not in message.body


def test_password_reset_email_in_the_members_words(client, django_capture_on_commit_callbacks):
    member = MemberFactory()
    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends after the commit
        client.post(reverse("account_reset_password"), {"email": member.user.email}, HTTP_ACCEPT_LANGUAGE="en")
    [message] = mail.outbox
    assert message.body.startswith("Hello from KLOSS-Net!")
    assert "testserver" not in message.body.split("http", 1)[0]


def test_upload_help_text_follows_the_active_language():
    with translation.override("en"):
        assert str(DocumentForm().fields["file"].help_text).startswith("Allowed: ")
    with translation.override("sv"):
        assert str(DocumentForm().fields["file"].help_text).startswith("Tillåtna: ")


@pytest.mark.parametrize("language", ["sv", "en"])
def test_site_forms_label_without_a_trailing_colon_like_allauths(member_client, language):
    """One style for every form: our own forms (a model form, a filter form) as allauth's pages."""
    profile = member_client.get(reverse("network:profile_edit"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    directory = member_client.get(reverse("network:member_list"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    title = {"sv": "Titel", "en": "Title"}[language]
    assert f'<label for="id_title">{title}</label>' in profile
    assert "<label" in directory
    assert ":</label>" not in profile and ":</label>" not in directory


def test_a_label_that_ends_in_a_colon_keeps_it():
    from django import forms

    class Form(forms.Form):
        when = forms.CharField(label="Kl.:")

    assert '<label for="id_when">Kl.:</label>' in Form().as_div()
