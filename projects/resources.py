"""CSV and Excel export of the results catalogue (django-import-export)."""

from import_export import fields, resources

from .models import Output

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value):
    """A cell a spreadsheet would run as a formula gets a leading apostrophe (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class OutputResource(resources.ModelResource):
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

    def export_field(self, field, instance, **kwargs):
        return escape_formula(super().export_field(field, instance, **kwargs))
