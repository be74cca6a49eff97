import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from network.language.collation import Unaccent
from network.language.swedish import unaccent

from .fragments import MEMBER_INSTITUTIONS
from .models import Institution, Member
from .widgets import FastSelect, YesNoAnyWidget


class MemberFilter(django_filters.FilterSet):
    """The directory's filters: institution, role, steering group, and a search by name."""

    q = django_filters.CharFilter(label=_("Name or institution"), method="filter_name")
    institution = django_filters.ChoiceFilter(
        widget=FastSelect,
        label=_("Institution"),
        choices=MEMBER_INSTITUTIONS.choices(
            lambda: list(Institution.objects.current_members().values_list("pk", "name"))
        ),
        empty_label=_("All institutions"),
    )
    role = django_filters.ChoiceFilter(
        widget=FastSelect, label=_("Role"), choices=Member.Role.choices, empty_label=_("All roles")
    )
    steering_group = django_filters.BooleanFilter(
        label=_("Steering group"),
        method="filter_steering_group",
        widget=YesNoAnyWidget,
    )

    class Meta:
        model = Member
        fields = ["q", "institution", "role", "steering_group"]

    def filter_name(self, queryset, name, value):
        """Every word in a name or the institution, without regard to accents: "Orebro" finds Örebro."""
        if not value.split():
            return queryset
        queryset = queryset.alias(
            first_plain=Unaccent("user__first_name"),
            last_plain=Unaccent("user__last_name"),
            institution_plain=Unaccent("institution__name"),
        )
        for word in value.split():
            plain = unaccent(word)
            queryset = queryset.filter(
                Q(first_plain__uicontains=plain)
                | Q(last_plain__uicontains=plain)
                | Q(institution_plain__uicontains=plain)
                | Q(institution__short_name__iexact=word)
            )
        return queryset

    def filter_steering_group(self, queryset, name, value):
        return queryset.filter(on_steering_group=value)
