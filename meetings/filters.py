"""The register of actions and decisions across meetings: its filters (django-filter).

The lists to choose from are built for the viewer, as the registers' rows are: steering-group
meetings (and who owns their actions) only for its seats and the secretariat; each list is kept in
the cache once per kind of viewer (`steering=True/False`)."""

from typing import ClassVar

import django_filters
import rules
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from network.fragments import MEMBER_INSTITUTIONS
from network.models import Institution, Member
from network.widgets import FastSelect

from .fragments import ACCEPTED_THEMES, ACTION_OWNERS, REGISTER_MEETINGS
from .models import Action, Decision, Meeting, Theme

# The accepted themes to choose from, here and in the results catalogue (projects/).
accepted_theme_choices = ACCEPTED_THEMES.choices(lambda: [(t.pk, t.name) for t in Theme.objects.accepted()])


def _meeting_choices(steering: bool) -> list:
    meetings = Meeting.objects.exclude(status=Meeting.Status.CANCELLED)
    if not steering:
        meetings = meetings.open_to_all_members()
    return [(m.pk, m.display_title) for m in meetings.order_by("-year", "season")]


def _owner_choices(steering: bool) -> list:
    actions = Action.objects.filter(owner_member__isnull=False)
    if not steering:
        actions = actions.exclude(meeting__kind=Meeting.Kind.STEERING)
    owners = Member.objects.filter(pk__in=actions.values("owner_member"))
    return [(m.pk, m.full_name) for m in owners.select_related("user").order_by("user__last_name", "user__first_name")]


def _sees_steering(request) -> bool:
    """Does the viewer see steering-group meetings (as the registers' rows: decision_views.steering_for)?
    Without a request, no: the lists hold only what every member may see."""
    return request is not None and rules.has_perm("meetings.view_steering_meetings", request.user)


def for_the_viewer() -> list:
    """The placeholder of a list that `_ChoicesForTheViewer` fills for each viewer. A callable, never a
    list: a list's values are read by drf-spectacular for the API's schema (kloss_site/api.py) through
    the filter's form field, which django-filter then keeps on the class's own filter, and every filter
    set made afterwards would copy that field with its empty list (the registers' lists emptied)."""
    return []


class _ChoicesForTheViewer:
    """Fills the lists to choose from that depend on the viewer (`viewer_choices`: filter name ->
    (fragment, build(steering))) when the filter set is made for a request."""

    viewer_choices: ClassVar[dict] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        steering = _sees_steering(self.request)
        for name, (fragment, build) in self.viewer_choices.items():
            # Bound now: `steering` is the viewer's, and the key tells the two lists apart.
            self.filters[name].extra["choices"] = lambda f=fragment, b=build: f.cached(
                lambda: b(steering), f"steering={steering}"
            )


def _search(queryset, fields: tuple[str, ...], value: str):
    for word in value.split():
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__uicontains": word})  # å ä ö in any case (network/language/collation.py)
        queryset = queryset.filter(condition)
    return queryset


class ActionFilter(_ChoicesForTheViewer, django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    status = django_filters.ChoiceFilter(widget=FastSelect, choices=Action.Status.choices, label=_("Status"))
    owner = django_filters.ChoiceFilter(
        widget=FastSelect,
        field_name="owner_member",
        choices=for_the_viewer,
        label=_("Owner"),
    )
    institution = django_filters.ChoiceFilter(
        widget=FastSelect,
        method="by_institution",
        choices=MEMBER_INSTITUTIONS.choices(
            lambda: list(Institution.objects.current_members().values_list("pk", "name"))
        ),
        label=_("Institution"),
    )
    theme = django_filters.ChoiceFilter(
        widget=FastSelect,
        choices=accepted_theme_choices,
        label=_("Theme"),
    )
    meeting = django_filters.ChoiceFilter(
        widget=FastSelect,
        choices=for_the_viewer,
        label=_("Agreed at"),
    )
    viewer_choices = {"owner": (ACTION_OWNERS, _owner_choices), "meeting": (REGISTER_MEETINGS, _meeting_choices)}

    class Meta:
        model = Action
        fields = ["q", "status", "owner", "institution", "theme", "meeting"]

    def search(self, queryset, name, value):
        return _search(queryset, ("text", "outcome", "owner_institution__name", "owner_member__user__last_name"), value)

    def by_institution(self, queryset, name, value: int):
        """Owned by the institution itself or by one of its members."""
        return queryset.filter(Q(owner_institution=value) | Q(owner_member__institution=value))


class DecisionFilter(_ChoicesForTheViewer, django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    theme = django_filters.ChoiceFilter(
        widget=FastSelect,
        choices=accepted_theme_choices,
        label=_("Theme"),
    )
    meeting = django_filters.ChoiceFilter(
        widget=FastSelect,
        choices=for_the_viewer,
        label=_("Meeting"),
    )
    viewer_choices = {"meeting": (REGISTER_MEETINGS, _meeting_choices)}

    class Meta:
        model = Decision
        fields = ["q", "theme", "meeting"]

    def search(self, queryset, name, value):
        return _search(queryset, ("text_sv", "text_en"), value)
