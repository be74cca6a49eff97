"""gunicorn's settings for the site. gunicorn reads this file from the working directory by default
(`gunicorn kloss_site.wsgi ...` in the project folder); the README's command names it anyway.

The `Server` header: gunicorn has no setting for it and sends `Server: gunicorn` on every response.
This file is Python run by gunicorn's master before it starts the workers, so it drops that line
from the headers gunicorn writes (kloss_site/tests/test_gunicorn.py checks what gunicorn sends).
"""

from gunicorn.http import wsgi

_default_headers = wsgi.Response.default_headers


def _default_headers_without_server(self):
    return [line for line in _default_headers(self) if not line.lower().startswith("server:")]


wsgi.Response.default_headers = _default_headers_without_server
