from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.LandingView.as_view(), name="landing"),
    path("home/", views.HomeView.as_view(), name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("network/", include("network.urls")),
    path("meetings/", include("meetings.urls")),
    path("projects/", include("projects.urls")),
    path("admin/", admin.site.urls),
]
