from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import api, views

urlpatterns = [
    path("", views.LandingView.as_view(), name="landing"),
    path("home/", views.HomeView.as_view(), name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    # The federation's own endpoints first: its SP metadata and the guard on allauth's SAML finishing step.
    path("accounts/", include("network.federation.urls")),
    path("accounts/", include("allauth.urls")),
    path("network/", include("network.urls")),
    path("meetings/", include("meetings.urls")),
    path("projects/", include("projects.urls")),
    # The read-only REST API for the member institutions' systems (kloss_site/api.py).
    path("api/v1/", include((api.urlpatterns, "api"))),
    path("admin/", admin.site.urls),
]

# 403, 404 and 500 are Django's handlers with our templates; 400 gets the request (her navigation).
handler400 = "kloss_site.errors.bad_request"

# The load benchmark's floor (bench/run.py sets BENCH_FLOOR=true for its own server only).
if settings.BENCH_FLOOR:
    urlpatterns.append(path("bench/floor/", views.FloorView.as_view(), name="bench_floor"))
