"""The read-only API (/api/v1/): every endpoint x every kind of token, against what a member of the
token's institution sees on the site's pages (the same predicates), and the API's plumbing: ETag,
rate limit, pagination, dates. Session roles are in the URL x role matrix (kloss_site/tests/url_matrix.py)."""

import datetime
import uuid

import pytest
import rules
from django.urls import reverse
from django.utils import timezone

from meetings import selectors as meeting_selectors
from meetings.models import Action, Decision, Meeting
from meetings.tests.factories import AgendaItemFactory, MeetingDocumentFactory, ScheduledMeetingFactory, ThemeFactory
from network.api import services
from network.models import ApiToken
from network.tests.factories import (
    InstitutionFactory,
    MemberFactory,
    SteeringGroupSeatFactory,
    issue_api_token,
    login,
)
from projects.models import Uptake
from projects.tests.factories import OutputFactory, ProjectFactory

pytestmark = pytest.mark.django_db

TOKEN_KINDS = ["none", "expired", "revoked", "public", "members", "network", "network_public", "former"]
MEMBERS_ONLY_ENDPOINTS = {"decision", "action", "uptake"}


def issue(institution, scope) -> str:
    return issue_api_token(institution, scope).secret


@pytest.fixture
def api(db):
    """An institution with an ordinary member and a member on the steering group; a network meeting
    with everything a meeting has; a steering-group meeting (hosted by the institution, with a decision
    and an action the institution owns); a proposed theme; a project, an output and uptake; and a token
    of every kind."""
    institution = InstitutionFactory()
    member = MemberFactory(institution=institution)
    seat = MemberFactory(institution=institution)
    SteeringGroupSeatFactory(member=seat)
    meeting = ScheduledMeetingFactory(video_link="https://video.example.se/m")
    AgendaItemFactory(meeting=meeting)
    MeetingDocumentFactory(meeting=meeting)
    decision = Decision.objects.create(meeting=meeting, text_sv="Nätverket antar en strategi.")
    action = Action.objects.create(
        meeting=meeting, text="Sprida strategin", owner_institution=institution, due_on=datetime.date(2030, 1, 1)
    )
    steering = ScheduledMeetingFactory(kind=Meeting.Kind.STEERING, host=institution)
    MeetingDocumentFactory(meeting=steering)
    steering_decision = Decision.objects.create(meeting=steering, text_sv="Styrgruppens interna beslut.")
    steering_action = Action.objects.create(
        meeting=steering, text="Internt", owner_institution=institution, due_on=datetime.date(2030, 1, 1)
    )
    theme = ThemeFactory()
    proposed = ThemeFactory(status="proposed")
    project = ProjectFactory(theme=theme, lead_institution=institution)
    output = OutputFactory(project=project)
    uptake = Uptake.objects.create(
        institution=institution,
        project=project,
        output=output,
        level=Uptake.Level.TRIED,
        description="Prövat i vår verksamhet.",
        starts_on=datetime.date(2026, 1, 1),
    )
    former = InstitutionFactory(joined_on=datetime.date(2017, 3, 8), left_on=datetime.date(2020, 1, 1))
    expired = issue(institution, ApiToken.Scope.READ_MEMBERS)
    ApiToken.objects.filter(key_start=expired[6:14]).update(
        created_at=timezone.now() - datetime.timedelta(days=10), expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    revoked = issue(institution, ApiToken.Scope.READ_MEMBERS)
    services.api_token_revoke(token=ApiToken.objects.get(key_start=revoked[6:14]), by=None)
    tokens = {
        "none": None,
        "expired": expired,
        "revoked": revoked,
        "public": issue(institution, ApiToken.Scope.READ_PUBLIC),
        "members": issue(institution, ApiToken.Scope.READ_MEMBERS),
        "network": issue(None, ApiToken.Scope.READ_MEMBERS),
        "network_public": issue(None, ApiToken.Scope.READ_PUBLIC),
        "former": issue(former, ApiToken.Scope.READ_MEMBERS),
    }
    return {
        "institution": institution,
        "member": member,
        "seat": seat,
        "meeting": meeting,
        "steering": steering,
        "decision": decision,
        "action": action,
        "steering_decision": steering_decision,
        "steering_action": steering_action,
        "theme": theme,
        "proposed": proposed,
        "project": project,
        "output": output,
        "uptake": uptake,
        "tokens": tokens,
    }


def get(client, url, token=None, **headers):
    if token:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client.get(url, **headers)


def endpoints(api) -> list[tuple[str, str]]:
    """(basename, url) for every list and one visible object of each."""
    objects = {
        "institution": api["institution"],
        "meeting": api["meeting"],
        "theme": api["theme"],
        "decision": api["decision"],
        "action": api["action"],
        "project": api["project"],
        "output": api["output"],
        "uptake": api["uptake"],
    }
    urls = []
    for basename, obj in objects.items():
        urls.append((basename, reverse(f"api:{basename}-list")))
        urls.append((basename, reverse(f"api:{basename}-detail", kwargs={"pk": obj.pk})))
    return urls


def expected_status(kind: str, basename: str) -> int:
    if kind in ("none", "expired", "revoked"):
        return 401
    if kind == "former":
        return 403  # its institution's members no longer see the intranet
    if kind in ("public", "network_public") and basename in MEMBERS_ONLY_ENDPOINTS:
        return 403
    return 200


def test_every_endpoint_answers_every_kind_of_token_as_its_rules_say(api, client):
    failures = []
    for kind, token in api["tokens"].items():
        for basename, url in endpoints(api):
            response = get(client, url, token)
            expected = expected_status(kind, basename)
            if response.status_code != expected:
                failures.append(f"{kind:<15} GET {url}: expected {expected}, got {response.status_code}")
            if expected == 401 and response.get("WWW-Authenticate") != 'Bearer realm="api"':
                failures.append(f"{kind:<15} GET {url}: 401 without a Bearer challenge")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("kind", ["public", "members", "network", "network_public"])
def test_no_token_opens_what_is_hidden_from_an_ordinary_member(api, client, kind):
    token = api["tokens"][kind]
    hidden = [
        reverse("api:meeting-detail", kwargs={"pk": api["steering"].pk}),
        reverse("api:decision-detail", kwargs={"pk": api["steering_decision"].pk}),
        reverse("api:action-detail", kwargs={"pk": api["steering_action"].pk}),
    ]
    if kind.endswith("public"):
        hidden.append(reverse("api:theme-detail", kwargs={"pk": api["proposed"].pk}))
    for url in hidden:
        assert get(client, url, token).status_code in (403, 404), url  # 403: not in a public scope at all


def ids(client, url, token) -> set[int]:
    response = get(client, url, token)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("kind", ["members", "network"])
def test_a_token_sees_exactly_what_a_member_of_its_institution_sees_on_the_site(api, client, kind):
    token = api["tokens"][kind]
    member = api["member"].user
    meetings = ids(client, reverse("api:meeting-list"), token)
    decisions = ids(client, reverse("api:decision-list"), token)
    actions = ids(client, reverse("api:action-list"), token)
    # The same predicates and registers as the site's pages, asked for a real member of the institution.
    steering = rules.has_perm("meetings.view_steering_meetings", member)
    assert meetings == {m.pk for m in Meeting.objects.all() if member.has_perm("meetings.view_meeting", m)}
    assert decisions == set(meeting_selectors.decision_register(steering=steering).values_list("pk", flat=True))
    assert actions == set(meeting_selectors.action_register(steering=steering).values_list("pk", flat=True))
    assert api["steering"].pk not in meetings
    assert api["steering_decision"].pk not in decisions and api["steering_action"].pk not in actions
    # ... and the member's pages agree: every meeting the token reads opens for her, the hidden one not.
    login(client, member)
    for pk in meetings:
        assert client.get(reverse("meetings:meeting_detail", kwargs={"pk": pk})).status_code == 200
    assert client.get(reverse("meetings:meeting_detail", kwargs={"pk": api["steering"].pk})).status_code == 404


def test_an_institutions_token_never_has_its_steering_group_members_view(api, client):
    """The seat holder sees the steering-group meeting on the site; her institution's token does not."""
    login(client, api["seat"].user)
    assert client.get(reverse("meetings:meeting_detail", kwargs={"pk": api["steering"].pk})).status_code == 200
    client.logout()
    assert api["steering"].pk not in ids(client, reverse("api:meeting-list"), api["tokens"]["members"])


def test_a_staff_session_sees_staff_things_but_no_token_does(api, client, django_user_model):
    """A network token with the members scope is an ordinary member, never staff."""
    from network.tests.factories import StaffUserFactory, activate_totp

    staff = StaffUserFactory()
    activate_totp(staff)
    login(client, staff)
    assert api["steering"].pk in ids(client, reverse("api:meeting-list"), None)
    client.logout()
    assert api["steering"].pk not in ids(client, reverse("api:meeting-list"), api["tokens"]["network"])


def test_a_meeting_has_its_agenda_documents_decisions_and_actions_for_the_members_scope(api, client):
    url = reverse("api:meeting-detail", kwargs={"pk": api["meeting"].pk})
    meeting = get(client, url, api["tokens"]["members"]).json()
    assert [item["title"] for item in meeting["agenda"]] == [api["meeting"].agenda_items.get().title]
    assert meeting["documents"][0]["original_name"] == "agenda.txt"
    assert meeting["documents"][0]["web_url"].startswith("http://testserver/meetings/documents/")
    assert [d["id"] for d in meeting["decisions"]] == [api["decision"].pk]
    assert [a["id"] for a in meeting["actions"]] == [api["action"].pk]
    assert meeting["actions"][0]["owner_name"] == api["institution"].name
    assert meeting["video_link"] == "https://video.example.se/m"
    assert meeting["host"]["id"] == api["meeting"].host_id


def test_the_public_scope_leaves_out_what_only_members_read(api, client):
    url = reverse("api:meeting-detail", kwargs={"pk": api["meeting"].pk})
    meeting = get(client, url, api["tokens"]["public"]).json()
    assert meeting["agenda"] and meeting["venue"] == "Aula Magna"
    for members_only in ("documents", "decisions", "actions", "address", "video_link", "practical_information"):
        assert members_only not in meeting
    themes = ids(client, reverse("api:theme-list"), api["tokens"]["public"])
    assert api["theme"].pk in themes and api["proposed"].pk not in themes


def test_decisions_wait_for_the_meeting_to_be_scheduled(api, client):
    """As on the meeting page (meetings.view_decisions): none before the meeting is scheduled."""
    Meeting.objects.filter(pk=api["meeting"].pk).update(status=Meeting.Status.CONFIRMED)
    url = reverse("api:meeting-detail", kwargs={"pk": api["meeting"].pk})
    meeting = get(client, url, api["tokens"]["members"]).json()
    assert meeting["decisions"] == [] and meeting["actions"] == []


def test_dates_are_iso_8601_with_the_offset_of_stockholm(api, client):
    start = datetime.datetime(timezone.localdate().year + 5, 1, 15, 9, 30, tzinfo=datetime.UTC)
    Meeting.objects.filter(pk=api["meeting"].pk).update(starts_at=start, ends_at=start + datetime.timedelta(hours=6))
    url = reverse("api:meeting-detail", kwargs={"pk": api["meeting"].pk})
    meeting = get(client, url, api["tokens"]["members"]).json()
    assert meeting["starts_at"] == f"{start.year}-01-15T10:30:00+01:00"
    assert datetime.datetime.fromisoformat(meeting["starts_at"]) == start
    project = get(client, reverse("api:project-detail", kwargs={"pk": api["project"].pk}), api["tokens"]["members"])
    assert project.json()["starts_on"] == "2025-01-01"


def test_filters_are_the_sites_filter_sets(api, client):
    token = api["tokens"]["members"]
    other = OutputFactory(type="article", title="Något helt annat")
    assert ids(client, reverse("api:output-list") + "?type=article", token) == {other.pk}
    assert ids(client, reverse("api:output-list") + "?q=annat", token) == {other.pk}
    assert ids(client, reverse("api:action-list") + f"?institution={api['institution'].pk}", token) == {
        api["action"].pk
    }
    # The README's example: network meetings from a time given in UTC.
    after = (api["meeting"].starts_at - datetime.timedelta(days=1)).astimezone(datetime.UTC)
    by_time = reverse("api:meeting-list") + f"?kind=network&starts_after={after:%Y-%m-%dT%H:%M:%SZ}"
    assert ids(client, by_time, token) == {api["meeting"].pk}
    by_meeting = reverse("api:decision-list") + f"?meeting={api['meeting'].pk}"
    assert ids(client, by_meeting, token) == {api["decision"].pk}
    # A steering-group meeting is not among the choices a token has (the filter set's own list).
    response = get(client, reverse("api:decision-list") + f"?meeting={api['steering'].pk}", token)
    assert response.status_code == 400
    assert ids(client, reverse("api:project-list") + f"?institution={api['institution'].pk}", token) == {
        api["project"].pk
    }


def test_pagination_is_by_cursor_and_follows_the_ids(api, client):
    token = api["tokens"]["members"]
    InstitutionFactory.create_batch(4)
    url = reverse("api:institution-list") + "?page_size=2"
    seen = []
    while url:
        page = get(client, url, token).json()
        assert len(page["results"]) <= 2
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    assert seen == sorted(seen) and len(seen) == len(set(seen)) >= 6


def test_an_unchanged_response_is_not_sent_again(api, client):
    token = api["tokens"]["members"]
    url = reverse("api:meeting-list")
    first = get(client, url, token)
    assert first.status_code == 200 and first["ETag"]
    assert first["Cache-Control"] == "private, no-cache"
    assert "Authorization" in first["Vary"]
    again = get(client, url, token, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    Meeting.objects.filter(pk=api["meeting"].pk).update(venue="Ny lokal")
    changed = get(client, url, token, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_too_many_requests_are_refused_with_retry_after(api, client, settings):
    settings.API_RATE_LIMIT = "3/minute"
    token, other = api["tokens"]["members"], api["tokens"]["network"]
    url = reverse("api:theme-list")
    assert [get(client, url, token).status_code for _ in range(3)] == [200, 200, 200]
    refused = get(client, url, token)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert get(client, url, other).status_code == 200  # the limit is per token


def test_the_last_use_is_noted_at_most_once_a_minute(api, client, django_assert_num_queries, time_machine):
    token = api["tokens"]["members"]
    row = ApiToken.objects.get(key_start=token[6:14])
    assert row.last_used_at is None
    url = reverse("api:institution-detail", kwargs={"pk": api["institution"].pk})
    time_machine.move_to(timezone.now(), tick=False)
    get(client, url, token)
    first = ApiToken.objects.get(pk=row.pk).last_used_at
    assert first is not None
    time_machine.shift(datetime.timedelta(seconds=30))
    get(client, url, token)
    assert ApiToken.objects.get(pk=row.pk).last_used_at == first
    time_machine.shift(datetime.timedelta(seconds=31))
    get(client, url, token)
    assert ApiToken.objects.get(pk=row.pk).last_used_at > first


def test_the_secret_is_never_stored(db):
    from network.audit import AuditEvent

    issued = issue_api_token(None, ApiToken.Scope.READ_MEMBERS, note="n", days=1)
    assert issued.secret.startswith("kloss_") and len(issued.secret) > 40
    row = ApiToken.objects.filter(pk=issued.token.pk).values().get()
    assert all(issued.secret not in str(value) for value in row.values())
    assert row["key_hash"] != issued.secret and len(row["key_hash"]) == 64
    events = AuditEvent.objects.filter(kind=AuditEvent.Kind.API_TOKEN_ISSUED).values_list("target", "detail")
    assert events and all(issued.secret not in f"{target}{detail}" for target, detail in events)


def test_a_token_is_refused_once_revoked(api, client):
    token = api["tokens"]["members"]
    url = reverse("api:theme-list")
    assert get(client, url, token).status_code == 200
    services.api_token_revoke(token=ApiToken.objects.get(key_start=token[6:14]), by=None)
    response = get(client, url, token)
    unknown = get(client, url, "kloss_unknown")
    assert response.status_code == unknown.status_code == 401
    assert response.json()["detail"] != unknown.json()["detail"]  # it says why: revoked


def test_a_malformed_or_unknown_token_is_refused(api, client):
    url = reverse("api:theme-list")
    for header in ("Bearer", "Bearer a b", "Bearer kloss_unknown"):
        assert client.get(url, HTTP_AUTHORIZATION=header).status_code == 401, header


def test_the_api_only_reads(api, client):
    token = api["tokens"]["members"]
    url = reverse("api:meeting-list")
    response = client.post(url, {}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code in (403, 405)
    assert Meeting.objects.count() == 2


# --- Query counts: constant at two data sizes per list endpoint ------------------------------------


def grow(api, n: int) -> None:
    institution = api["institution"]
    for _ in range(n):
        host = InstitutionFactory()
        meeting = ScheduledMeetingFactory(host=host)
        AgendaItemFactory.create_batch(2, meeting=meeting)
        MeetingDocumentFactory(meeting=meeting)
        decision = Decision.objects.create(meeting=meeting, text_sv="Beslut")
        owner = MemberFactory()
        Action.objects.create(
            meeting=meeting, decision=decision, text="Gör", owner_member=owner, due_on=datetime.date(2030, 1, 1)
        )
        Action.objects.create(meeting=meeting, text="Gör", owner_institution=host, due_on=datetime.date(2030, 1, 1))
        project = ProjectFactory(lead_institution=host, institutions=[institution])
        output = OutputFactory(project=project)
        Uptake.objects.create(
            institution=host, project=project, output=output, level="informed", description="x", starts_on="2026-01-01"
        )
        ThemeFactory()


def count_queries(client, url, token) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = get(client, url, token)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "basename", ["institution", "meeting", "theme", "decision", "action", "project", "output", "uptake"]
)
def test_list_endpoints_cost_the_same_queries_at_two_sizes(api, client, basename):
    token = api["tokens"]["members"]
    url = reverse(f"api:{basename}-list")
    grow(api, 2)
    get(client, url, token)  # the rate limit's and the filters' first reads
    small = count_queries(client, url, token)
    grow(api, 8)
    large = count_queries(client, url, token)
    print(f"{url}: {small} queries")  # the figure for the report (pytest -s)
    assert large == small, f"{url}: {small} queries with few rows, {large} with more"
    assert small <= 10


def test_a_tokens_viewer_is_nobody_in_particular(api):
    """The predicates that compare a row's person with the viewer never take a token for her, not even
    a row whose person was deleted (its id NULL)."""
    from network.api.auth import ApiViewer
    from network.models import Message

    viewer = ApiViewer(ApiToken.objects.filter(institution=api["institution"]).usable().first())
    orphan = Message.objects.create(subject_sv="Gammalt", body_sv="Hej", created_by=None, token=uuid.uuid4())
    assert not viewer.has_perm("network.view_message", orphan)
    assert not viewer.has_perm("network.view_applications")
    assert not viewer.has_perm("meetings.view_steering_meetings")
    assert not viewer.has_perm("meetings.view_meeting", api["steering"])  # hosted by its institution, even
    assert viewer.has_perm("network.view_intranet")
