"""CSV and Excel export of the results catalogue (django-import-export)."""

from import_export import fields

from network.exports import EscapedResource

from .models import Output


class OutputResource(EscapedResource):
    type = fields.Field(attribute="get_type_display", column_name="type")
    project = fields.Field(attribute="project__title", column_name="project")
    theme = fields.Field(column_name="theme")
    lead_institution = fields.Field(attribute="project__lead_institution__name", column_name="lead_institution")
    project_status = fields.Field(attribute="project__get_status_display", column_name="project_status")
    spin_out = fields.Field(attribute="spin_out__title", column_name="spin_out")

    class Meta:
        model = Output
        fields = (
            "id", "type", "title", "authors", "year", "doi", "isbn", "url",
            "project", "theme", "lead_institution", "project_status", "spin_out",
        )  # fmt: skip
        export_order = fields

    def dehydrate_theme(self, output):
        return output.project.theme.name
