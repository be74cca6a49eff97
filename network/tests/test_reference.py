"""The member institutions are reference data: loaded by migration 0007, not by the demo."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from network import demo, reference
from network.models import Institution, InstitutionDomain, Member
from network.tests.test_views import signup_data

pytestmark = pytest.mark.django_db


def test_the_migration_loads_the_35_member_institutions_and_their_domains():
    migration = importlib.import_module("network.migrations.0007_member_institutions")
    migration.load_member_institutions(django_apps, None)
    migration.load_member_institutions(django_apps, None)  # idempotent
    assert Institution.objects.current_members().count() == 35
    assert Institution.objects.count() == 35 + len(reference.OTHER_INSTITUTIONS)
    assert InstitutionDomain.objects.get(domain="kth.se").institution.name == "Kungliga Tekniska högskolan"
    assert set(Institution.objects.current_members().values_list("joined_on", flat=True)) == {reference.FOUNDED_ON}


def test_loading_keeps_what_the_secretariat_edited():
    reference.load(Institution, InstitutionDomain)
    Institution.objects.filter(short_name="KTH").update(city="Kista")
    reference.load(Institution, InstitutionDomain)
    assert Institution.objects.get(short_name="KTH").city == "Kista"


def test_signup_at_a_real_domain_suggests_the_institution(client):
    """Production: the reference data alone makes signup with @kth.se land at KTH."""
    reference.load(Institution, InstitutionDomain)
    client.post(reverse("account_signup"), signup_data("olle.nilsson@kth.se"))
    assert Member.objects.get(user__email="olle.nilsson@kth.se").institution.short_name == "KTH"


def test_signup_at_a_demo_domain_suggests_the_institution_too(client):
    """Development: the demo's undeliverable domains (kth.example.org) point at the same institution."""
    demo.seed_institutions()
    client.post(reverse("account_signup"), signup_data("olle.nilsson@kth.example.org"))
    assert Member.objects.get(user__email="olle.nilsson@kth.example.org").institution.short_name == "KTH"


def test_demo_people_have_undeliverable_addresses_only():
    demo.seed()
    emails = list(Member.objects.values_list("user__email", flat=True))
    assert len(emails) > 40
    for email in emails:
        domain = email.rsplit("@", 1)[1]
        assert domain in ("example.org", "example.net") or domain.endswith((".example.org", ".example.net")), email
    assert "anna.lind@kth.example.org" in emails
