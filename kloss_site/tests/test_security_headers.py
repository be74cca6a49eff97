"""Security headers on every HTML page of ours, for every role that can see it (walks the URL matrix)."""

from django.urls import reverse

from kloss_site.tests.test_url_matrix import ROLES, all_cases, login_as, world  # noqa: F401 - `world` is a fixture


def _check_headers(response, url) -> list[str]:
    problems = []
    csp = response.get("Content-Security-Policy", "")
    script_src = next((d for d in csp.split(";") if d.strip().startswith("script-src")), "")
    if not csp:
        problems.append("no Content-Security-Policy")
    if "unsafe-inline" in script_src or "unsafe-eval" in script_src:
        problems.append(f"script-src allows inline/eval: {script_src}")
    if "frame-ancestors 'none'" not in csp:
        problems.append("CSP lacks frame-ancestors 'none'")
    if "max-age=" not in response.get("Strict-Transport-Security", ""):
        problems.append("no HSTS")
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if not response.get("Referrer-Policy"):
        problems.append("no Referrer-Policy")
    if response.get("X-Frame-Options") != "DENY":
        problems.append("X-Frame-Options is not DENY")
    return [f"GET {url}: {problem}" for problem in problems]


def test_every_html_page_sends_the_security_headers(world, client, settings):  # noqa: F811
    settings.SECURE_HSTS_SECONDS = 31_536_000
    problems = []
    checked = 0
    for name, kwargs, expected in all_cases(world):
        url = reverse(name, kwargs=kwargs)
        for role in ROLES:
            if expected[role] != 200:
                continue
            login_as(client, world, role)
            response = client.get(url, secure=True)
            if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
                problems += _check_headers(response, url)
                checked += 1
            break  # one role that may see the page is enough: headers do not depend on the role
    assert checked >= 5
    assert not problems, "\n".join(problems)


def test_session_and_csrf_cookies_are_secure_httponly_and_lax(client, member, settings):
    response = client.post(
        reverse("account_login"), {"login": member.user.email, "password": "correct-horse-battery-staple"}, secure=True
    )
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    csrf = client.get(reverse("account_login"), secure=True).cookies.get(settings.CSRF_COOKIE_NAME)
    assert csrf is None or (csrf["secure"] and csrf["samesite"] == "Lax")
