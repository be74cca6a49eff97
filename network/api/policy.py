"""The permission, rate limit and pagination of every endpoint (named in settings.REST_FRAMEWORK; this
module must not import DRF's views, which read those settings at import). See base.py for the rules."""

import rules
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import permissions, throttling
from rest_framework.pagination import CursorPagination

from .auth import sees_members_only
from .models import ApiToken


class ReadsTheIntranet(permissions.BasePermission):
    message = _("Only members of the network may read the API.")

    def has_permission(self, request, view) -> bool:
        if request.method not in permissions.SAFE_METHODS:
            return False
        if not rules.has_perm("network.view_intranet", request.user):
            return False
        if getattr(view, "members_only", False) and not sees_members_only(request):
            self.message = _("This token may read public information only.")
            return False
        return True


class PerTokenThrottle(throttling.SimpleRateThrottle):
    scope = "api"

    def get_rate(self) -> str:
        return settings.API_RATE_LIMIT  # read when a request comes: a test may change it

    def get_cache_key(self, request, view) -> str:
        if isinstance(request.auth, ApiToken):
            ident = f"token:{request.auth.pk}"
        elif request.user is not None and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"address:{self.get_ident(request)}"
        return f"api-throttle:{ident}"


class ByIdCursorPagination(CursorPagination):
    ordering = "pk"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
