from rest_framework import serializers

from network.models import Institution

from .base import ApiModelSerializer, WebPageField


class InstitutionSerializer(ApiModelSerializer):
    is_member = serializers.BooleanField(read_only=True, help_text="A member of the network today.")
    web_url = WebPageField()

    class Meta:
        model = Institution
        fields = [
            "id",
            "name",
            "name_en",
            "short_name",
            "slug",
            "kind",
            "city",
            "website",
            "joined_on",
            "left_on",
            "is_member",
            "updated_at",
            "web_url",
        ]


class InstitutionRefSerializer(ApiModelSerializer):
    """An institution named in another object (a meeting's host, a project's lead)."""

    class Meta:
        model = Institution
        fields = ["id", "name", "short_name"]
