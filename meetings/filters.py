"""The register of actions and decisions across meetings: its filters (django-filter)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from network import cache
from network.fragments import MEMBER_INSTITUTIONS
from network.models import Institution, Member
from network.widgets import FastSelect

from .fragments import ACTION_OWNERS, REGISTER_MEETINGS
from .models import Action, Decision, Meeting


def _theme_choices() -> list:
    theme = Decision._meta.get_field("theme").related_model  # projects/ is above this app: no import
    return [(t.pk, t.name) for t in theme.objects.accepted()]


def _meeting_choices() -> list:
    return [
        (m.pk, m.display_title)
        for m in Meeting.objects.exclude(status=Meeting.Status.CANCELLED).order_by("-year", "season")
    ]


def _accepted_themes() -> list:
    # Declared by projects/ (above this app): looked up by name when the form is rendered.
    return cache.fragment("choices:accepted_themes").cached(_theme_choices)


def _owner_choices() -> list:
    owners = Member.objects.filter(pk__in=Action.objects.filter(owner_member__isnull=False).values("owner_member"))
    return [(m.pk, m.full_name) for m in owners.select_related("user").order_by("user__last_name", "user__first_name")]


def _search(queryset, fields: tuple[str, ...], value: str):
    for word in value.split():
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__uicontains": word})  # å ä ö in any case (network/collation.py)
        queryset = queryset.filter(condition)
    return queryset


class ActionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    status = django_filters.ChoiceFilter(widget=FastSelect, choices=Action.Status.choices, label=_("Status"))
    owner = django_filters.ChoiceFilter(
        widget=FastSelect,
        field_name="owner_member",
        choices=ACTION_OWNERS.choices(_owner_choices),
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
        choices=_accepted_themes,
        label=_("Theme"),
    )
    meeting = django_filters.ChoiceFilter(
        widget=FastSelect,
        choices=REGISTER_MEETINGS.choices(_meeting_choices),
        label=_("Agreed at"),
    )

    class Meta:
        model = Action
        fields = ["q", "status", "owner", "institution", "theme", "meeting"]

    def search(self, queryset, name, value):
        return _search(queryset, ("text", "outcome", "owner_institution__name", "owner_member__user__last_name"), value)

    def by_institution(self, queryset, name, value):
        """Owned by the institution itself or by one of its members."""
        return queryset.filter(Q(owner_institution=value) | Q(owner_member__institution=value))


class DecisionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    theme = django_filters.ChoiceFilter(
        widget=FastSelect,
        choices=_accepted_themes,
        label=_("Theme"),
    )
    meeting = django_filters.ChoiceFilter(
        widget=FastSelect,
        choices=REGISTER_MEETINGS.choices(_meeting_choices),
        label=_("Meeting"),
    )

    class Meta:
        model = Decision
        fields = ["q", "theme", "meeting"]

    def search(self, queryset, name, value):
        return _search(queryset, ("text_sv", "text_en"), value)
