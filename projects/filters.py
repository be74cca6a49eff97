"""The results catalogue's filters (django-filter)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meetings.filters import accepted_theme_choices
from network.fragments import MEMBER_INSTITUTIONS
from network.models import Institution
from network.widgets import FastSelect

from .models import Output, Project


class OutputFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search title or author"))
    theme = django_filters.ChoiceFilter(
        widget=FastSelect,
        field_name="project__theme",
        choices=accepted_theme_choices,
        label=_("Theme"),
    )
    institution = django_filters.ChoiceFilter(
        widget=FastSelect,
        choices=MEMBER_INSTITUTIONS.choices(
            lambda: list(Institution.objects.current_members().values_list("pk", "name"))
        ),
        method="by_institution",
        label=_("Institution"),
    )
    type = django_filters.ChoiceFilter(widget=FastSelect, choices=Output.Type.choices, label=_("Type"))
    year = django_filters.NumberFilter(label=_("Year"), widget=forms.NumberInput(attrs={"min": 1900, "max": 2100}))
    status = django_filters.ChoiceFilter(
        widget=FastSelect, field_name="project__status", choices=Project.Status.choices, label=_("Project status")
    )

    class Meta:
        model = Output
        fields = ["q", "theme", "institution", "type", "year", "status"]

    def search(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(Q(title__uicontains=word) | Q(authors__uicontains=word))
        return queryset

    def by_institution(self, queryset, name, value: int):
        # a subquery, not a join: no duplicate rows when the lead institution also participates
        projects = Project.objects.filter(Q(lead_institution=value) | Q(institutions=value)).values("pk")
        return queryset.filter(project__in=projects)
