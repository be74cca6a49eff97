"""/api/v1/: the read-only REST API, composed from the apps' endpoints (network/api/, meetings/api/,
projects/api/), its OpenAPI schema (/api/v1/schema/, committed as docs/api/openapi.yaml and checked
by tests/test_api_schema.py) and its documentation (Swagger UI, served by the site from
drf-spectacular-sidecar: no CDN). Included under the namespace "api" by kloss_site/urls.py.

TODO(lead): expose coverage (the theme x institution view, being written on another branch) as
`/api/v1/coverage/` once it lands: a viewset in projects/api/views.py on its selector, registered
below, members-only, and a row in kloss_site/tests/url_matrix.py and tests/test_api.py.
"""

from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from meetings.api.views import ActionViewSet, DecisionViewSet, MeetingViewSet, ThemeViewSet
from network.api.views import InstitutionViewSet
from projects.api.views import OutputViewSet, ProjectViewSet, UptakeViewSet


class Router(DefaultRouter):
    include_root_view = False  # the schema and its documentation say what there is
    include_format_suffixes = False


router = Router()
router.register("institutions", InstitutionViewSet, basename="institution")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("themes", ThemeViewSet, basename="theme")
router.register("decisions", DecisionViewSet, basename="decision")
router.register("actions", ActionViewSet, basename="action")
router.register("projects", ProjectViewSet, basename="project")
router.register("outputs", OutputViewSet, basename="output")
router.register("uptake", UptakeViewSet, basename="uptake")

# Swagger UI's own script and styles come from our origin (the sidecar's static files); it builds
# its page with inline styles and shows its icons as data: images, which its page alone may do.
docs_view = csp_update({"style-src": ["'unsafe-inline'"]})(SpectacularSwaggerSplitView.as_view(url_name="api:schema"))

urlpatterns = [
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs_view, name="docs"),
]
