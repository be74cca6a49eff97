"""The settings' defaults with DEBUG off pass Django's deployment checklist as they are: nothing
to remember to turn on (SECURE_SSL_REDIRECT included)."""

import os
import subprocess
import sys

from django.conf import settings

# What production must give (README's table); everything else is left to the defaults.
REQUIRED = {
    "DEBUG": "false",
    "SECRET_KEY": "deploy-check-secret-key-not-for-production-0123456789abcdefghijkl",
    "ALLOWED_HOSTS": "intranet.kloss-net.se",
    "SITE_URL": "https://intranet.kloss-net.se",
}
CHOSEN = ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "DEBUG")
# Set in the test process by the browser tests (live_server under Playwright), never in production:
# inherited, it failed this check whenever a browser test had run first in the same process.
TEST_PROCESS_ONLY = ("DJANGO_ALLOW_ASYNC_UNSAFE",)


def production_env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST") and k not in CHOSEN + TEST_PROCESS_ONLY}
    env.update(REQUIRED)
    return env


def run(*argv):
    return subprocess.run(
        [sys.executable, *argv],
        cwd=settings.BASE_DIR,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_defaults():
    result = run("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ssl_redirect_and_one_trusted_proxy_are_the_defaults_with_debug_off():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.ALLAUTH_TRUSTED_PROXY_COUNT)"
    )
    env_code = f"import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'kloss_site.settings'); {code}"
    result = run("-c", env_code)
    assert result.stdout.split() == ["True", "1"], result.stderr
