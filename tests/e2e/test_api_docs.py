"""The API's documentation (Swagger UI at /api/v1/docs/) runs in a browser under the site's Content
Security Policy, from files the site serves itself (no CDN): it shows the schema's endpoints and
nothing is refused. Swagger UI's page is the library's, not ours: axe is not asked about it."""

import pytest
from django.urls import reverse


@pytest.mark.browser
def test_the_api_docs_run_under_our_csp_from_our_own_origin(site):
    refused, elsewhere = [], []
    site.page.on("console", lambda msg: refused.append(msg.text) if "Content Security Policy" in msg.text else None)
    site.page.on(
        "request", lambda request: elsewhere.append(request.url) if not request.url.startswith(site.base_url) else None
    )
    site.goto(reverse("api:docs"))
    site.page.get_by_text("KLOSS-Net API").first.wait_for()
    site.page.locator(".opblock-summary-path", has_text="/api/v1/meetings/").first.wait_for()
    site.screenshot("api-docs")
    assert not refused, refused
    assert not [url for url in elsewhere if not url.startswith("data:")], elsewhere
