import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .cache import cached_choices
from .models import Institution, Member
from .widgets import FastSelect


class MemberFilter(django_filters.FilterSet):
    """The directory's filters: institution, role, steering group, and a search by name."""

    q = django_filters.CharFilter(label=_("Name"), method="filter_name")
    institution = django_filters.ChoiceFilter(
        widget=FastSelect,
        label=_("Institution"),
        choices=cached_choices(
            "member_institutions", lambda: list(Institution.objects.current_members().values_list("pk", "name"))
        ),
        empty_label=_("All institutions"),
    )
    role = django_filters.ChoiceFilter(
        widget=FastSelect, label=_("Role"), choices=Member.Role.choices, empty_label=_("All roles")
    )
    steering_group = django_filters.BooleanFilter(
        label=_("Steering group"),
        method="filter_steering_group",
        widget=django_filters.widgets.BooleanWidget,
    )

    class Meta:
        model = Member
        fields = ["q", "institution", "role", "steering_group"]

    def filter_name(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(Q(user__first_name__icontains=word) | Q(user__last_name__icontains=word))
        return queryset

    def filter_steering_group(self, queryset, name, value):
        return queryset.filter(on_steering_group=value)
