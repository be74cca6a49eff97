"""CSV and Excel export of the register of actions and decisions (django-import-export)."""

from django.utils.translation import gettext_lazy as _
from import_export import fields

from network.exports import EscapedResource

from .models import Action, Decision


class ActionResource(EscapedResource):
    meeting = fields.Field(attribute="meeting__display_title", column_name=_("Agreed at"))
    text = fields.Field(attribute="text", column_name=_("Action"))
    owner = fields.Field(attribute="owner_name", column_name=_("Owner"))
    institution = fields.Field(column_name=_("Institution"))
    due_meeting = fields.Field(attribute="due_meeting__display_title", column_name=_("Due by the meeting"))
    due_on = fields.Field(attribute="due_on", column_name=_("Due date"))
    status = fields.Field(attribute="get_status_display", column_name=_("Status"))
    outcome = fields.Field(attribute="outcome", column_name=_("Outcome"))
    theme = fields.Field(column_name=_("Theme"))

    class Meta:
        model = Action
        fields = (
            "id",
            "meeting",
            "text",
            "owner",
            "institution",
            "due_meeting",
            "due_on",
            "status",
            "outcome",
            "theme",
        )
        export_order = fields

    def dehydrate_institution(self, action):
        if action.owner_institution_id:
            return action.owner_institution.name
        institution = action.owner_member.institution if action.owner_member_id else None
        return institution.name if institution else ""

    def dehydrate_theme(self, action):
        return action.theme.name if action.theme_id else ""


class DecisionResource(EscapedResource):
    meeting = fields.Field(attribute="meeting__display_title", column_name=_("Meeting"))
    text_sv = fields.Field(attribute="text_sv", column_name=_("Decision (Swedish)"))
    text_en = fields.Field(attribute="text_en", column_name=_("Decision (English)"))
    theme = fields.Field(column_name=_("Theme"))

    class Meta:
        model = Decision
        fields = ("id", "meeting", "text_sv", "text_en", "theme")
        export_order = fields

    def dehydrate_theme(self, decision):
        return decision.theme.name if decision.theme_id else ""
