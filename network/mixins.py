"""The gate in front of every intranet page, and the cached list pages (network/cache/)."""

from django.contrib.auth.mixins import AccessMixin
from django.shortcuts import redirect
from django.utils.safestring import mark_safe

from . import cache
from .rules import is_active_member, is_applicant


class MemberRequiredMixin(AccessMixin):
    """Anonymous -> login; applicant -> the "waiting for approval" page; anyone else not an
    approved member of a current member institution -> 403. Staff always pass."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return self.handle_no_permission()
        if not is_active_member(user):
            if is_applicant(user):
                return redirect("network:application_status")
            self.raise_exception = True
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)


class CachedListMixin:
    """A list page (ListView, FilterView) that is the same for every member: its content is kept as
    the fragment declared in `fragment` (`{% fragment view.fragment parts=fragment_parts %}` in the
    template) and its row count beside it, both under the declaration's namespaces and lifetime.
    When the fragment is in the cache the view hands it to the template as `cached_fragment` and
    skips its queryset, filters and paginator altogether; otherwise the page's rows are read
    (lazily, in the template) to build it."""

    fragment: cache.Fragment

    def fragment_variant(self) -> str:
        """What tells apart the readers who see different rows (e.g. the steering group's seats, who
        also see its meetings); "" when the page is the same for every member."""
        return ""

    def fragment_parts(self) -> list[str]:
        if not hasattr(self, "_fragment_parts"):
            self._fragment_parts = [cache.query_key(self.request), self.fragment_variant()]
        return self._fragment_parts

    def get(self, request, *args, **kwargs):
        if cache.enabled():
            found, html = cache.read(self.fragment.key(*self.fragment_parts()))
            if found:
                self.object_list = None  # read by the template-name lookup of list views
                return self.render_to_response({"view": self, "cached_fragment": mark_safe(html)})
        return super().get(request, *args, **kwargs)

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        count_key = self.fragment.key(
            "count", cache.query_key(self.request, without=("page",)), self.fragment_variant()
        )
        return cache.CachedCountPaginator(
            queryset,
            per_page,
            orphans=orphans,
            allow_empty_first_page=allow_empty_first_page,
            count_key=count_key,
            seconds=self.fragment.seconds,
        )

    def get_context_data(self, **kwargs):
        # `query`: the filters without the page number, for the pages' links (includes/_pagination.html).
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(fragment_parts=self.fragment_parts(), query=query.urlencode(), **kwargs)
