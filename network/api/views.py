from network.models import Institution

from . import schema  # noqa: F401  (registers the token scheme with drf-spectacular)
from .base import ApiViewSet
from .serializers import InstitutionSerializer


class InstitutionViewSet(ApiViewSet):
    """Every institution, members of the network and former ones (a former member may have hosted a
    meeting or led a project); `is_member` tells which."""

    serializer_class = InstitutionSerializer
    queryset = Institution.objects.all()
    lookup_value_regex = r"\d+"
