"""The form renderer of the site: labels without a trailing colon, on our forms as on allauth's pages
(templates/allauth/elements/fields.html), so every form reads the same.

Django appends the form's `label_suffix` (":") in `BoundField.label_tag` before the label template
sees it; this renderer takes it off again, unless the label itself ends in it. Everything else is
Django's default renderer.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

LABEL_TEMPLATE = "django/forms/label.html"


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        field = context.get("field") if template_name == LABEL_TEMPLATE else None
        if field is not None:
            suffix = str(field.form.label_suffix or "")
            label = str(context.get("label", ""))
            if suffix and label.endswith(suffix) and not str(field.label or "").endswith(suffix):
                context = {**context, "label": mark_safe(label[: -len(suffix)])}
        return super().render(template_name, context, request)
