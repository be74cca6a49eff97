from rest_framework import serializers

from network.api.base import ApiModelSerializer, WebPageField
from network.api.serializers import InstitutionRefSerializer
from network.models import Institution
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


# --- Coverage: one document, theme x institution (projects/coverage.py) -------------------------------


class CoverageQuerySerializer(serializers.Serializer):
    """The coverage page's filters (projects.forms.CoverageFilterForm checks them)."""

    starts_on = serializers.DateField(required=False, help_text="Counts what runs at some moment from this day.")
    ends_on = serializers.DateField(required=False, help_text="Counts what runs at some moment until this day.")
    kind = serializers.ChoiceField(choices=Institution.Kind.choices, required=False, help_text="Kind of institution.")


class CoverageInstitutionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    kind = serializers.CharField()


class CoverageCellSerializer(serializers.Serializer):
    participates = serializers.BooleanField(help_text="Leads or takes part in a project of the theme in the period.")
    level = serializers.ChoiceField(
        choices=Uptake.Level.choices,
        allow_null=True,
        help_text="The highest level of its uptake of the theme's results in the period; null: none.",
    )


class CoverageThemeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name_sv = serializers.CharField()
    name_en = serializers.CharField()
    cells = serializers.DictField(child=CoverageCellSerializer(), help_text="One cell per institution id.")


class CoverageSerializer(serializers.Serializer):
    starts_on = serializers.DateField(allow_null=True)
    ends_on = serializers.DateField(allow_null=True)
    kind = serializers.CharField(allow_null=True)
    institutions = CoverageInstitutionSerializer(many=True)
    themes = CoverageThemeSerializer(many=True)
