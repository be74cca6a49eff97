"""The site's URLs and one view per error, for kloss_site/tests/test_error_pages.py: each raises what a
view of ours could raise, so the site's own handlers and templates answer."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.urls import path
from django.views.decorators.http import require_POST

from kloss_site.urls import handler400
from kloss_site.urls import urlpatterns as site_urlpatterns

__all__ = ["handler400", "urlpatterns"]


def _raising(exception):
    def view(request):
        raise exception

    return view


@require_POST
def _post_only(request):  # pragma: no cover - GET never gets here
    raise AssertionError("not for GET")


urlpatterns = [
    *site_urlpatterns,
    path("test-errors/400/", _raising(SuspiciousOperation("a damaged request"))),
    path("test-errors/403/", _raising(PermissionDenied)),
    path("test-errors/404/", _raising(Http404)),
    path("test-errors/405/", _post_only),
    path("test-errors/500/", _raising(RuntimeError("a bug"))),
]
