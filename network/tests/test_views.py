import datetime
import json

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from network import cache
from network.admin import MemberResource
from network.models import Member
from network.tests.factories import (
    PASSWORD,
    ApplicantFactory,
    InstitutionFactory,
    LeadershipTermFactory,
    MemberFactory,
    SteeringGroupSeatFactory,
    login,
    post_institution_change,
)

pytestmark = pytest.mark.django_db
User = get_user_model()


def signup_data(email, **extra):
    return {
        "email": email,
        "password1": "Samverkan-lösen-2026!",
        "password2": "Samverkan-lösen-2026!",
        "first_name": "Per",
        "last_name": "Ek",
        "title": "Prorektor",
        "role": "deputy_vc",
        "institution": "",
        "accept_privacy": "on",
        **extra,
    }


# --- Signup ---------------------------------------------------------------------------------


def test_signup_non_member_domain_asks_to_choose_institution(client):
    InstitutionFactory(domain="mau.se")
    response = client.post(reverse("account_signup"), signup_data("per@gmail.com"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "belongs to no member institution" in response.content.decode()
    assert not User.objects.filter(email="per@gmail.com").exists()


def test_signup_non_member_domain_with_chosen_institution_is_flagged_in_queue(client, staff_user):
    institution = InstitutionFactory()
    client.post(reverse("account_signup"), signup_data("per@gmail.com", institution=institution.pk))
    member = Member.objects.get(user__email="per@gmail.com")
    assert member.institution == institution
    from network import services

    services.member_mark_verified(user=member.user)
    login(client, staff_user)
    queue = client.get(reverse("network:approval_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "per@gmail.com" in queue and "Domain of no member institution" in queue


def test_signup_subdomain_suggests_institution(client):
    lu = InstitutionFactory(domain="lu.se")
    client.post(reverse("account_signup"), signup_data("per@ekon.lu.se"))
    assert Member.objects.get(user__email="per@ekon.lu.se").institution == lu


def test_signup_without_privacy_acceptance_is_refused(client):
    InstitutionFactory(domain="mau.se")
    data = signup_data("per@mau.se")
    del data["accept_privacy"]
    assert client.post(reverse("account_signup"), data).status_code == 200
    assert not User.objects.filter(email="per@mau.se").exists()


def test_signup_short_password_is_refused(client):
    InstitutionFactory(domain="mau.se")
    response = client.post(
        reverse("account_signup"), signup_data("per@mau.se", password1="Kort-lösen1", password2="Kort-lösen1")
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="per@mau.se").exists()


def test_signup_tampered_status_and_is_staff_change_nothing(client):
    InstitutionFactory(domain="mau.se")
    client.post(reverse("account_signup"), signup_data("per@mau.se", status="approved", is_staff="on"))
    member = Member.objects.get(user__email="per@mau.se")
    assert member.status == Member.Status.UNVERIFIED
    assert not member.user.is_staff and not member.user.is_superuser


def test_signup_existing_email_does_not_reveal_the_account(
    client, member, mailoutbox, django_capture_on_commit_callbacks
):
    InstitutionFactory(domain="mau.se")
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(
            reverse("account_signup"), signup_data(member.user.email, institution=member.institution.pk)
        )
        second = client.post(reverse("account_signup"), signup_data("new.person@mau.se"))
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert User.objects.filter(email=member.user.email).count() == 1
    assert any(member.user.email in m.to for m in mailoutbox)


def test_password_reset_unknown_email_looks_like_known(client, member):
    known = client.post(reverse("account_reset_password"), {"email": member.user.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@nowhere.se"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_login_failures_are_rate_limited(client, member):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": member.user.email, "password": "wrong-password-123"})
    response = client.post(
        reverse("account_login"), {"login": member.user.email, "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_rotates_session_key(client, member):
    client.get(reverse("account_login"))
    client.session.save()
    before = client.session.session_key
    client.post(reverse("account_login"), {"login": member.user.email, "password": PASSWORD})
    assert client.session.session_key != before
    assert client.session["_auth_user_id"] == str(member.user.pk)


# --- Admin: MFA, actions, export ------------------------------------------------------------


def test_admin_refuses_staff_without_mfa(client, staff_user_without_mfa):
    client.force_login(staff_user_without_mfa)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
    assert client.get(reverse("admin:network_member_changelist")).status_code == 302


def test_admin_opens_for_staff_with_totp(client, staff_user_without_mfa):
    staff_user = staff_user_without_mfa
    TOTP.activate(staff_user, "JBSWY3DPEHPK3PXP")
    staff_client = client
    login(staff_client, staff_user)
    assert staff_client.get(reverse("admin:index")).status_code == 200


def test_admin_login_goes_through_rate_limited_allauth_login(client):
    response = client.get(reverse("admin:login") + "?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_admin_approve_action_calls_service(staff_client, staff_user, mailoutbox, django_capture_on_commit_callbacks):
    applicant = ApplicantFactory()
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            reverse("admin:network_member_changelist"), {"action": "approve", "_selected_action": [applicant.pk]}
        )
    applicant.refresh_from_db()
    assert applicant.status == Member.Status.APPROVED and applicant.decided_by == staff_user
    assert [m.to for m in mailoutbox] == [[applicant.user.email]]


def test_admin_member_changelist_flags_non_member_domain(staff_client, staff_user):
    ApplicantFactory(user__email="x@gmail.com")
    page = staff_client.get(reverse("admin:network_member_changelist"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "x@gmail.com ⚠ domain of no member institution" in page


def test_admin_member_changelist_flags_non_member_domain_in_swedish(staff_client, staff_user):
    ApplicantFactory(user__email="x@gmail.com")
    page = staff_client.get(reverse("admin:network_member_changelist"), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "x@gmail.com ⚠ domänen tillhör inget medlemslärosäte" in page
    assert "domain of no member institution" not in page


def test_member_csv_export_escapes_formulae():
    MemberFactory(user__first_name='=HYPERLINK("http://evil")', title="+SUM(A1)", phone="@cmd")
    csv = MemberResource().export(Member.objects.all()).csv
    assert "'=HYPERLINK" in csv and "'+SUM(A1)" in csv and "'@cmd" in csv
    assert ",=HYPERLINK" not in csv


# --- Directory ------------------------------------------------------------------------------


def directory_queries(client, n) -> int:
    institution = InstitutionFactory()
    members = MemberFactory.create_batch(n, institution=institution)
    for member in members[:3]:
        SteeringGroupSeatFactory(member=member)
    cache.clear_all()  # rows written by factories, not by a service: the page is built again from them
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("network:member_list"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_member_list_query_count_constant(member_client):
    small = directory_queries(member_client, 10)  # 10 members (+ the one looking)
    large = directory_queries(member_client, 190)  # 200 members
    print(f"directory queries: 10+ members={small}, 200+ members={large}")
    assert small == large


def test_member_list_filters_by_institution_role_steering_group_and_name(member_client):
    kth = InstitutionFactory(name="KTH")
    karin = MemberFactory(institution=kth, user__first_name="Karin", user__last_name="Sjöberg", role="head_office")
    olof = MemberFactory(user__first_name="Olof", user__last_name="Wallin", role="coordinator")
    SteeringGroupSeatFactory(member=olof)
    ApplicantFactory(user__first_name="Hidden", user__last_name="Applicant")

    def names(**params):
        page = member_client.get(reverse("network:member_list"), params).content.decode()
        return {name for name in ["Karin Sjöberg", "Olof Wallin", "Hidden Applicant"] if name in page}

    assert names() == {"Karin Sjöberg", "Olof Wallin"}
    assert names(institution=kth.pk) == {"Karin Sjöberg"}
    assert names(role="coordinator") == {"Olof Wallin"}
    assert names(steering_group="true") == {"Olof Wallin"}
    assert names(q="sjöb") == {"Karin Sjöberg"}
    assert karin.pk


def test_member_list_is_paginated(member_client):
    MemberFactory.create_batch(30)
    page = member_client.get(reverse("network:member_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Page 1 of 2" in page
    assert member_client.get(reverse("network:member_list"), {"page": 2}).status_code == 200


def test_member_detail_of_former_member_is_404(member_client):
    gone = MemberFactory(status=Member.Status.LEFT)
    assert member_client.get(reverse("network:member_detail", args=[gone.pk])).status_code == 404


def test_institution_page_shows_representatives_and_current_lead(member_client, member):
    LeadershipTermFactory(
        institution=member.institution, starts_on=timezone.localdate() - datetime.timedelta(days=1), ends_on=None
    )
    ApplicantFactory(institution=member.institution, user__last_name="Väntar")
    page = member_client.get(member.institution.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert member.full_name in page and "Leads the network now." in page
    assert "Väntar" not in page


def test_home_shows_current_lead(member_client):
    kth = InstitutionFactory(name="Kungliga Tekniska högskolan")
    LeadershipTermFactory(institution=kth, starts_on=timezone.localdate(), ends_on=None)
    assert "Kungliga Tekniska högskolan" in member_client.get(reverse("home")).content.decode()


def test_steering_group_page_shows_chair(member_client):
    chair = SteeringGroupSeatFactory(role="chair").member
    past = SteeringGroupSeatFactory(starts_on=datetime.date(2017, 1, 1), ends_on=datetime.date(2019, 1, 1)).member
    page = member_client.get(reverse("network:steering_group"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert chair.full_name in page and "Chair" in page
    assert past.full_name not in page


# --- Own profile, leaving, privacy ----------------------------------------------------------


def test_profile_edit_saves_allowed_fields_and_ignores_tampered(applicant_client, applicant):
    response = applicant_client.post(
        reverse("network:profile_edit"),
        {
            "title": "Prorektor",
            "phone": "08-123 456",
            "language": "en",
            "optional_reminders": "",
            "status": "approved",
            "is_staff": "on",
            "institution": InstitutionFactory().pk,
        },
    )
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert (applicant.title, applicant.phone, applicant.language) == ("Prorektor", "08-123 456", "en")
    assert applicant.optional_reminders is False
    assert applicant.status == Member.Status.APPLICANT
    assert not applicant.user.is_staff
    assert applicant.institution.pk != response.wsgi_request.POST["institution"]


def test_member_leave_logs_out_and_locks_out(member_client, member):
    response = member_client.post(reverse("network:member_leave"), {"confirm": "on"})
    assert response["Location"] == reverse("landing")
    member.refresh_from_db()
    assert member.status == Member.Status.LEFT
    member_client.force_login(member.user)
    assert member_client.get(reverse("network:member_list")).status_code == 403


def test_members_of_institution_that_left_lose_access(member_client, member):
    member.institution.left_on = timezone.localdate()
    member.institution.save()
    assert member_client.get(reverse("network:member_list")).status_code == 403


def test_data_export_downloads_json(member_client, member):
    response = member_client.get(reverse("network:data_export"))
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["account"]["email"] == member.user.email
    assert data["member"]["institution"] == member.institution.name


def test_account_delete_needs_password_then_anonymises(member_client, member):
    response = member_client.post(reverse("network:account_delete"), {"password": "wrong"})
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.user.is_active
    response = member_client.post(reverse("network:account_delete"), {"password": PASSWORD})
    assert response["Location"] == reverse("landing")
    member.refresh_from_db()
    assert member.user.email.endswith("@deleted.invalid") and not member.user.last_name
    assert "_auth_user_id" not in member_client.session
    assert not member_client.login(username=member.user.email, password=PASSWORD)


def test_privacy_notice_is_public_and_versioned(client, settings):
    page = client.get(reverse("network:privacy_notice"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert settings.PRIVACY_NOTICE_VERSION in page


def test_approval_decide_by_member_changes_nothing(member_client):
    applicant = ApplicantFactory()
    response = member_client.post(reverse("network:approval_decide", args=[applicant.pk]), {"decision": "approve"})
    assert response.status_code == 403
    applicant.refresh_from_db()
    assert applicant.status == Member.Status.APPLICANT


def test_approval_decide_own_application_is_refused(staff_client, staff_user, mailoutbox):
    own = ApplicantFactory(user=staff_user)
    response = staff_client.post(
        reverse("network:approval_decide", args=[own.pk]), {"decision": "approve"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    own.refresh_from_db()
    assert own.status == Member.Status.APPLICANT and mailoutbox == []
    assert "own application" in staff_client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_signup_page_has_labels_privacy_link_and_suggestion(client):
    InstitutionFactory(name="Malmö universitet", domain="mau.se")
    page = client.get(reverse("account_signup"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert reverse("network:privacy_notice") in page and '<label for="id_title">' in page
    data = signup_data("per@mau.se", password2="something-else-entirely")
    page = client.post(reverse("account_signup"), data, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "we suggest: Malmö universitet" in page


def test_staff_sent_to_mfa_setup_can_activate_totp(client, staff_user_without_mfa):
    staff_user = staff_user_without_mfa
    client.post(reverse("account_login"), {"login": staff_user.email, "password": PASSWORD})
    setup = client.get(reverse("admin:index"))["Location"]
    # allauth asks for the password again before a second factor is added.
    reauth = client.get(setup)["Location"]
    assert reauth.startswith(reverse("account_reauthenticate"))
    back = client.post(reauth, {"password": PASSWORD})["Location"]
    page = client.get(back, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    content = page.content.decode()
    assert 'id="main"' in content and "Authenticator" in content


def test_admin_institution_filter_former_members_and_history(staff_client, staff_user):
    InstitutionFactory(name="Nuvarande högskolan")
    former = InstitutionFactory(
        name="Före detta högskolan", joined_on=datetime.date(2017, 1, 1), left_on=datetime.date(2020, 1, 1)
    )
    page = staff_client.get(reverse("admin:network_institution_changelist"), {"membership": "former"})
    content = page.content.decode()
    assert "Före detta högskolan" in content and "Nuvarande högskolan" not in content
    history = staff_client.get(reverse("admin:network_institution_history", args=[former.pk]))
    assert history.status_code == 200 and "Före detta högskolan" in history.content.decode()
    for name in ["network_member", "network_leadershipterm", "network_steeringgroupseat"]:
        assert staff_client.get(reverse(f"admin:{name}_changelist")).status_code == 200


def test_admin_institution_website_without_a_scheme_is_taken_as_https(staff_client, staff_user):
    institution = InstitutionFactory()
    response = post_institution_change(staff_client, institution, website="www.kth.se/samverkan")
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    institution.refresh_from_db()
    assert institution.website == "https://www.kth.se/samverkan"


def test_admin_leadership_term_form_refuses_overlap(staff_client, staff_user):
    term = LeadershipTermFactory()
    response = staff_client.post(
        reverse("admin:network_leadershipterm_add"),
        {"institution": term.institution.pk, "starts_on": "2018-01-01", "ends_on": "2018-12-31"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "overlaps another leadership term" in response.content.decode()


def test_signup_unknown_institution_is_refused(client):
    InstitutionFactory(domain="mau.se")
    response = client.post(reverse("account_signup"), signup_data("per@mau.se", institution=999999))
    assert response.status_code == 200
    assert not User.objects.filter(email="per@mau.se").exists()


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_institution_page_and_steering_group_query_counts_constant(member_client, member):
    institution = member.institution
    MemberFactory.create_batch(2, institution=institution)
    for m in MemberFactory.create_batch(2):
        SteeringGroupSeatFactory(member=m)
    small = (
        count_queries(member_client, institution.get_absolute_url()),
        count_queries(member_client, reverse("network:steering_group")),
        count_queries(member_client, reverse("network:institution_list")),
    )
    MemberFactory.create_batch(20, institution=institution)
    InstitutionFactory.create_batch(20)
    for m in MemberFactory.create_batch(20):
        SteeringGroupSeatFactory(member=m)
    cache.clear_all()  # rows written by factories, not by a service: the page is built again from them
    large = (
        count_queries(member_client, institution.get_absolute_url()),
        count_queries(member_client, reverse("network:steering_group")),
        count_queries(member_client, reverse("network:institution_list")),
    )
    print(f"institution page / steering group / institution list queries: {small} -> {large}")
    assert small == large


def test_demo_seed_members_terms_and_steering_group(settings):
    from network import demo

    demo.seed()
    demo.seed()
    assert Member.objects.active().count() >= 40
    assert Member.objects.applicants().count() >= 2
    terms = LeadershipTermFactory._meta.model.objects.order_by("starts_on")
    # KTH led the first two years, from the first meeting; a term covers today.
    assert (terms[0].institution.short_name, str(terms[0].starts_on), str(terms[0].ends_on)) == (
        "KTH",
        "2017-03-08",
        "2018-12-31",
    )
    assert terms.model.objects.current().count() == 1
    # A steering group through the years: seats on every 1 January of the terms, and today.
    seats = SteeringGroupSeatFactory._meta.model.objects
    for term in terms:
        assert seats.current(on=term.starts_on).filter(role="chair").count() == 1
        assert seats.current(on=term.starts_on).count() >= 4
    chairs = SteeringGroupSeatFactory._meta.model.objects.current().filter(role="chair")
    assert chairs.count() == 1
    staff = User.objects.get(email="sekretariat@kloss-net.example.org")
    from network.middleware import staff_has_mfa

    assert staff_has_mfa(staff)


def test_demo_secretariat_logs_in_with_documented_totp_secret_and_opens_admin(client):
    from network import demo
    from tests.support.totp import fresh_totp_code

    demo.seed()
    response = client.post(
        reverse("account_login"), {"login": "sekretariat@kloss-net.example.org", "password": demo.DEMO_PASSWORD}
    )
    assert response["Location"].startswith(reverse("mfa_authenticate"))
    client.post(reverse("mfa_authenticate"), {"code": fresh_totp_code(demo.DEMO_TOTP_SECRET, time_left=5)})
    assert client.get(reverse("admin:index")).status_code == 200


def test_directory_steering_group_filter_offers_any_not_unknown(member_client):
    page = member_client.get(reverse("network:member_list"), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    select = page[page.index('name="steering_group"') :]
    select = select[: select.index("</select>")]
    assert '<option value="" selected>Alla</option>' in select
    assert '<option value="true">Ja</option>' in select and '<option value="false">Nej</option>' in select
    assert "Okänt" not in page
    english = member_client.get(reverse("network:member_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<option value="" selected>Any</option>' in english
