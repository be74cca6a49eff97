from rest_framework import serializers

from network.api.base import ApiModelSerializer, WebPageField
from network.api.serializers import InstitutionRefSerializer
from projects.models import Output, Project, Uptake


class ProjectSerializer(ApiModelSerializer):
    lead_institution = InstitutionRefSerializer(read_only=True)
    institutions = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="The participating institutions' ids."
    )
    web_url = WebPageField()

    class Meta:
        model = Project
        fields = [
            "id",
            "title",
            "summary",
            "goals",
            "theme",
            "status",
            "lead_institution",
            "institutions",
            "starts_on",
            "ends_on",
            "created_at",
            "updated_at",
            "web_url",
        ]


class OutputSerializer(ApiModelSerializer):
    has_file = serializers.SerializerMethodField(help_text="A file can be downloaded from its page.")
    web_url = WebPageField()

    class Meta:
        model = Output
        fields = [
            "id",
            "project",
            "type",
            "title",
            "authors",
            "year",
            "doi",
            "isbn",
            "url",
            "has_file",
            "spin_out",
            "created_at",
            "updated_at",
            "web_url",
        ]

    def get_has_file(self, output: Output) -> bool:
        return bool(output.file)


class UptakeSerializer(ApiModelSerializer):
    has_evidence_file = serializers.SerializerMethodField()

    class Meta:
        model = Uptake
        fields = [
            "id",
            "institution",
            "project",
            "output",
            "level",
            "description",
            "responsible",
            "starts_on",
            "ends_on",
            "evidence_url",
            "has_evidence_file",
            "follow_up",
            "followed_up_on",
            "round",
            "created_at",
            "updated_at",
        ]

    def get_has_evidence_file(self, uptake: Uptake) -> bool:
        return bool(uptake.evidence_file)
