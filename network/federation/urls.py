"""Included before allauth's own under accounts/ (kloss_site/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("saml/metadata/", views.sp_metadata, name="saml_sp_metadata"),
    path("saml/choose/", views.federation_login, name="federation_login"),
    path("saml/<slug:organization_slug>/acs/finish/", views.finish_acs, name="federation_finish_acs"),
]
