"""What every endpoint of /api/v1/ shares: read-only, the intranet's gate (the same predicate as its
pages), the scope, a rate limit per token, pagination by cursor, and ETag / If-None-Match.

- Permission: `network.view_intranet` (network/rules.py) for whoever asks, a token's viewer
  (auth.py) or a signed-in member; an endpoint with `members_only = True` also needs the
  read-members scope. An object the viewer may not see is not found (404), as on the site.
- Rate limit: `API_RATE_LIMIT` requests per token (a signed-in user: per user; without either: per
  address), counted in the cache shared by every process; past it, 429 with Retry-After.
- Pagination: by cursor over the primary key (`?cursor=`, `?page_size=` up to 200): a page is one
  indexed range read, stable while rows are added, and no COUNT(*).
- Caching: `Cache-Control: private, no-cache` and a strong ETag of the body; a request with a
  matching If-None-Match gets 304 without the body (Django's ConditionalGetMiddleware, for these
  views only). The body is still built: the ETag saves the client, not the server.
"""

import rules
from django.http import Http404
from django.utils.cache import patch_vary_headers
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import conditional_page
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from .auth import sees_members_only


@method_decorator(conditional_page, name="dispatch")
class ApiViewSet(viewsets.ReadOnlyModelViewSet):
    """The base of every endpoint. `members_only`: only for the read-members scope.
    `object_permission`: the predicate a single object must pass (else 404), as the site's page asks."""

    members_only = False
    object_permission: str | None = None

    def get_object(self):
        obj = super().get_object()
        if self.object_permission and not rules.has_perm(self.object_permission, self.request.user, obj):
            raise Http404
        return obj

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 200:
            # May be stored by the client, must be checked with its ETag before reuse; never by a
            # shared cache (PrivateCacheMiddleware keeps a header that says private).
            response["Cache-Control"] = "private, no-cache"
        patch_vary_headers(response, ["Authorization"])
        return response

    def members_scope(self) -> bool:
        return sees_members_only(self.request)


class ApiModelSerializer(serializers.ModelSerializer):
    """Every model field read-only (the API has no writes). DRF then leaves out the model's validation
    bounds, some of which are the database's own (a small integer reaches 32767 on PostgreSQL and has
    no such bound on SQLite): the schema is the same on both. The members-only fields stay optional
    (`MembersOnlyFieldsMixin`)."""

    def get_extra_kwargs(self):
        extra = super().get_extra_kwargs()
        optional = set(getattr(self.Meta, "members_only_fields", ()))
        for name in self.Meta.fields:
            if name not in optional:
                extra.setdefault(name, {})["read_only"] = True
        return extra


class MembersOnlyFieldsMixin:
    """A serializer whose `Meta.members_only_fields` are left out for a token with the read-public
    scope. They are declared `required=False` so the schema does not promise them to every client."""

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and not sees_members_only(request):
            for name in getattr(self.Meta, "members_only_fields", ()):
                fields.pop(name, None)
        return fields


@extend_schema_field(OpenApiTypes.URI)
class WebPageField(serializers.Field):
    """The object's page on the intranet, as an absolute URL (for people: it asks them to log in)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("The page on the intranet (for people, after they log in)."))
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value) -> str:
        request = self.context.get("request")
        path = value.get_absolute_url()
        return request.build_absolute_uri(path) if request is not None else path
