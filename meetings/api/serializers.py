import rules
from rest_framework import serializers

from meetings.models import Action, AgendaItem, Decision, Meeting, MeetingDocument, Theme
from network.api.base import ApiModelSerializer, MembersOnlyFieldsMixin, WebPageField
from network.api.serializers import InstitutionRefSerializer

MEMBERS_ONLY = "Only for the read-members scope (absent for a token that reads public information)."


class ThemeSerializer(ApiModelSerializer):
    chosen_at = serializers.PrimaryKeyRelatedField(read_only=True, help_text="The meeting that chose it.")

    class Meta:
        model = Theme
        fields = [
            "id",
            "name_sv",
            "name_en",
            "description_sv",
            "description_en",
            "status",
            "is_active",
            "chosen_at",
            "accepted_at",
            "updated_at",
        ]


class AgendaItemSerializer(ApiModelSerializer):
    class Meta:
        model = AgendaItem
        fields = ["id", "position", "starts_at", "ends_at", "title", "presenter", "description"]


class DocumentSerializer(ApiModelSerializer):
    web_url = WebPageField(help_text="Its download on the intranet (for people, after they log in).")

    class Meta:
        model = MeetingDocument
        fields = ["id", "kind", "title", "original_name", "content_type", "size", "uploaded_at", "web_url"]


class DecisionSerializer(ApiModelSerializer):
    class Meta:
        model = Decision
        fields = ["id", "meeting", "position", "text_sv", "text_en", "theme", "created_at", "updated_at"]


class ActionSerializer(ApiModelSerializer):
    owner_name = serializers.CharField(read_only=True, help_text="The owning member's or institution's name.")

    class Meta:
        model = Action
        fields = [
            "id",
            "meeting",
            "decision",
            "text",
            "owner_member",
            "owner_institution",
            "owner_name",
            "due_meeting",
            "due_on",
            "status",
            "outcome",
            "theme",
            "created_at",
            "updated_at",
            "closed_at",
        ]


class MeetingSerializer(MembersOnlyFieldsMixin, ApiModelSerializer):
    host = InstitutionRefSerializer(read_only=True, allow_null=True)
    agenda = AgendaItemSerializer(source="agenda_items", many=True, read_only=True)
    # Members only (absent for a token with the read-public scope): not `read_only`, so the schema
    # does not mark them required; the API has no writes.
    documents = DocumentSerializer(many=True, required=False, help_text=MEMBERS_ONLY)
    decisions = DecisionSerializer(many=True, required=False, help_text=MEMBERS_ONLY)
    actions = ActionSerializer(many=True, required=False, help_text=MEMBERS_ONLY)
    web_url = WebPageField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "kind",
            "year",
            "season",
            "status",
            "title",
            "display_title",
            "starts_at",
            "ends_at",
            "format",
            "venue",
            "host",
            "registration_deadline",
            "capacity",
            "minutes_published_at",
            "updated_at",
            "web_url",
            "agenda",
            "address",
            "video_link",
            "practical_information",
            "documents",
            "decisions",
            "actions",
        ]
        members_only_fields = ["address", "video_link", "practical_information", "documents", "decisions", "actions"]
        extra_kwargs = {
            name: {"required": False, "help_text": MEMBERS_ONLY}
            for name in ("address", "video_link", "practical_information")
        }

    def to_representation(self, meeting: Meeting) -> dict:
        data = super().to_representation(meeting)
        # The meeting page's rule: a meeting's decisions and actions from its scheduling on.
        if "decisions" in data and not rules.has_perm("meetings.view_decisions", self.context["request"].user, meeting):
            data["decisions"] = data["actions"] = []
        return data
