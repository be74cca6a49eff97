"""The form renderer of the site, for our forms and allauth's alike.

- Labels without a trailing colon (templates/allauth/elements/fields.html does the same on allauth's
  pages), so every form reads the same. Django appends the form's `label_suffix` (":") in
  `BoundField.label_tag` before the label template sees it; this renderer takes it off again, unless
  the label itself ends in it.
- Errors are tied to their fields (WCAG 3.3.1, 4.1.3). Django already marks a field with errors
  `aria-invalid="true"` and points its `aria-describedby` at them (`<id>_error`); a form-wide error
  (a wrong password, a refusal) belongs to no field, so once the page has shown it in the form's error
  summary (`{% form_errors form %}`, network/templatetags/form_errors.py, which is rendered before the
  fields), every visible field is described by the summary too, and marked invalid (but a checkbox
  such as "remember me"). A radio group's fieldset gets the same `aria-describedby` from
  `field.aria_describedby` (Django puts none on the radios themselves).
- The templates are the project's (TemplatesSetting): templates/django/forms/div.html, the layout of
  `{{ form }}` and `form.as_div`, puts the error summary first.
"""

from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.forms.widgets import CheckboxInput
from django.utils.safestring import mark_safe

LABEL_TEMPLATE = "django/forms/label.html"

# Set on a form by `{% form_errors form %}` when it shows the form-wide errors: the summary's id.
SUMMARY_ID_ATTRIBUTE = "error_summary_id"


def summary_id(form) -> str:
    """The id of a form's error summary: unique per form prefix on a page."""
    return f"{form.prefix}-form-errors" if form.prefix else "form-errors"


class SiteBoundField(BoundField):
    def _form_wide_error_id(self) -> str | None:
        """The summary's id when it shows form-wide errors that this (visible) field is part of."""
        shown = getattr(self.form, SUMMARY_ID_ATTRIBUTE, None)
        if shown and not self.is_hidden and self.form.non_field_errors():
            return shown
        return None

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if self.form.is_bound and self.form.errors and not widget.is_hidden:
            # The error summary takes the focus; a field's own autofocus would take it away again.
            attrs.pop("autofocus", None)
        form_wide = self._form_wide_error_id()
        if form_wide and not widget.is_hidden:
            if not isinstance(widget, CheckboxInput):  # "remember me" is not what was wrong
                attrs["aria-invalid"] = "true"
            if not self.use_fieldset:  # else the fieldset carries the description (field.aria_describedby)
                described = (attrs.get("aria-describedby") or widget.attrs.get("aria-describedby") or "").split()
                if form_wide not in described:
                    attrs["aria-describedby"] = " ".join([*described, form_wide])
        return attrs

    @property
    def aria_describedby(self):
        described = super().aria_describedby
        form_wide = self._form_wide_error_id()
        if described is None or not form_wide:
            return described
        return " ".join(filter(None, [described, form_wide]))


class FormRenderer(TemplatesSetting):
    bound_field_class = SiteBoundField

    def render(self, template_name, context, request=None):
        field = context.get("field") if template_name == LABEL_TEMPLATE else None
        if field is not None:
            suffix = str(field.form.label_suffix or "")
            label = str(context.get("label", ""))
            if suffix and label.endswith(suffix) and not str(field.label or "").endswith(suffix):
                context = {**context, "label": mark_safe(label[: -len(suffix)])}
        return super().render(template_name, context, request)
