import django_filters
from django.db.models import Q
from django_filters.rest_framework import DjangoFilterBackend

from network.api.base import ApiViewSet
from projects import selectors
from projects.filters import OutputFilter
from projects.models import Output, Project, Uptake

from .serializers import OutputSerializer, ProjectSerializer, UptakeSerializer


class ProjectFilter(django_filters.FilterSet):
    """The project list's choices on the site (theme, status), and the institution taking part."""

    institution = django_filters.NumberFilter(method="by_institution", label="Institution (lead or participating)")

    class Meta:
        model = Project
        fields = ["theme", "status", "institution"]

    def by_institution(self, queryset, name, value):
        # A subquery, not a join: no duplicate rows when the lead institution also participates.
        taking_part = Project.institutions.through.objects.filter(institution=value).values("project_id")
        return queryset.filter(Q(lead_institution=value) | Q(pk__in=taking_part))


class ProjectViewSet(ApiViewSet):
    """Every project (as the site's project list: the same for every member)."""

    serializer_class = ProjectSerializer
    queryset = selectors.project_list()
    filter_backends = [DjangoFilterBackend]
    filterset_class = ProjectFilter


class OutputViewSet(ApiViewSet):
    """The results catalogue, filtered as on the site (projects/filters.py)."""

    serializer_class = OutputSerializer
    queryset = Output.objects.all()  # the rows' own columns only: ids stand for what they refer to
    filter_backends = [DjangoFilterBackend]
    filterset_class = OutputFilter


class UptakeFilter(django_filters.FilterSet):
    class Meta:
        model = Uptake
        fields = ["institution", "project", "output", "level"]


class UptakeViewSet(ApiViewSet):
    """What each institution did with a shared result (read-members scope: everyone in the network
    reads it, projects.models.Uptake)."""

    serializer_class = UptakeSerializer
    members_only = True
    queryset = Uptake.objects.all()
    filter_backends = [DjangoFilterBackend]
    filterset_class = UptakeFilter
