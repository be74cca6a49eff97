import django_filters
import rules
from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend

from meetings import selectors
from meetings.filters import ActionFilter, DecisionFilter
from meetings.models import Action, Meeting, Theme
from network.api.base import ApiViewSet

from .serializers import ActionSerializer, DecisionSerializer, MeetingSerializer, ThemeSerializer


def steering_visible(request) -> bool:
    """Does the viewer see the steering group's meetings (and their decisions, actions)? The question
    the site's lists ask (decision_views.steering_for): never for a token's viewer (network/api/auth.py)."""
    return rules.has_perm("meetings.view_steering_meetings", request.user)


class MeetingFilter(django_filters.FilterSet):
    """The meeting list has no filters on the site (it is two lists: upcoming and past); these are
    what a calendar on another site needs."""

    starts_after = django_filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = django_filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="lt")

    class Meta:
        model = Meeting
        fields = ["kind", "status", "year", "season", "host", "starts_after", "starts_before"]


class MeetingViewSet(ApiViewSet):
    """Meetings with their agenda; for the read-members scope also their documents' metadata,
    decisions and actions. Steering-group meetings only for who sees them on the site (never a token)."""

    serializer_class = MeetingSerializer
    object_permission = "meetings.view_meeting"
    filter_backends = [DjangoFilterBackend]
    filterset_class = MeetingFilter

    def get_queryset(self):
        meetings = Meeting.objects.select_related("host").prefetch_related("agenda_items")
        if not steering_visible(self.request):
            meetings = meetings.open_to_all_members()
        if self.members_scope():
            meetings = meetings.prefetch_related(
                "documents",
                "decisions",
                Prefetch("actions", queryset=Action.objects.select_related("owner_institution", "owner_member__user")),
            )
        return meetings


class ThemeViewSet(ApiViewSet):
    """The themes: accepted ones, and for the read-members scope the proposed ones too (as the
    site's theme list shows members)."""

    serializer_class = ThemeSerializer

    def get_queryset(self):
        themes = Theme.objects.all()
        return themes if self.members_scope() else themes.accepted()


class DecisionViewSet(ApiViewSet):
    """The decision register (read-members scope), filtered as on the site (meetings/filters.py)."""

    serializer_class = DecisionSerializer
    members_only = True
    filter_backends = [DjangoFilterBackend]
    filterset_class = DecisionFilter

    def get_queryset(self):
        return selectors.decision_register(steering=steering_visible(self.request))


class ActionViewSet(ApiViewSet):
    """The action register (read-members scope), filtered as on the site (meetings/filters.py)."""

    serializer_class = ActionSerializer
    members_only = True
    filter_backends = [DjangoFilterBackend]
    filterset_class = ActionFilter

    def get_queryset(self):
        return selectors.action_register(steering=steering_visible(self.request))
