"""Included before allauth's own under accounts/ (kloss_site/urls.py)."""

from django.conf import settings
from django.urls import path

from . import views

urlpatterns = [
    path("saml/metadata/", views.sp_metadata, name="saml_sp_metadata"),
    path("saml/choose/", views.federation_login, name="federation_login"),
    path("saml/<slug:organization_slug>/acs/finish/", views.finish_acs, name="federation_finish_acs"),
]

# The development-only identity provider: no URL at all unless DEBUG (settings.FEDERATION_DEV_IDP).
if settings.FEDERATION_DEV_IDP:
    from . import devidp  # imported only in development

    urlpatterns += [
        path("saml/dev-idp/metadata.xml", devidp.metadata, name="federation_dev_metadata"),
        path("saml/dev-idp/<str:scope>/sso/", devidp.sso, name="federation_dev_sso"),
    ]
