"""The API's OpenAPI schema (/api/v1/schema/) validates without a warning, and the copy committed in
docs/api/openapi.yaml (what integrators read, diffed in review) is the one the code generates.
.ci/run's lint section checks the same with `manage.py spectacular`."""

from pathlib import Path

import yaml
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

COMMITTED = Path(settings.BASE_DIR) / "docs" / "api" / "openapi.yaml"


def test_the_schema_validates_and_is_the_committed_one(tmp_path):
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--lang", "en", "--file", str(generated))
    assert generated.read_text() == COMMITTED.read_text(), (
        "docs/api/openapi.yaml is stale: run `make api-schema` and commit it"
    )


def test_the_schema_names_every_endpoint_and_the_bearer_token():
    schema = yaml.safe_load(COMMITTED.read_text())
    paths = set(schema["paths"])
    for name in ("institutions", "meetings", "themes", "decisions", "actions", "projects", "outputs", "uptake"):
        assert f"/api/v1/{name}/" in paths and f"/api/v1/{name}/{{id}}/" in paths
    assert schema["components"]["securitySchemes"]["token"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schema["components"]["securitySchemes"]["token"]["description"],
    }


def test_the_schema_is_served_and_the_docs_come_from_our_own_origin(client, db):
    response = client.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    docs = client.get(reverse("api:docs"))
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html and "http://" not in html.replace("http://testserver", "")
    assert "https://" not in html  # no CDN: Swagger UI's files are the sidecar's, served by us
    csp = docs["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "cdn" not in csp


def test_generating_the_schema_leaves_the_sites_filter_lists_alone(client, db):
    """The schema reads the filter sets the registers use; their lists (built per viewer) stay full."""
    from meetings.tests.factories import ScheduledMeetingFactory
    from network.tests.factories import MemberFactory, login

    meeting = ScheduledMeetingFactory()
    call_command("spectacular", "--lang", "en", "--file", "/dev/null")
    assert client.get(reverse("api:schema")).status_code == 200
    login(client, MemberFactory().user)
    for register in ("meetings:action_register", "meetings:decision_register"):
        page = client.get(reverse(register)).content.decode()
        assert f'<option value="{meeting.pk}"' in page, register
