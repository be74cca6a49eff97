"""Errors a visitor notices (WCAG 2.4.2, 3.3.1, 4.1.3), on every form page:

- `{% form_errors form %}`: the form's error summary, before its fields: the form-wide errors and a
  link to each field with an error, in a `role="alert"` container that takes the focus when the page
  opens. It tells the form its id, so that the fields rendered after it are described by it
  (network/language/forms_renderer.py). templates/django/forms/div.html (`{{ form }}`) and allauth's fields
  (templates/allauth/elements/fields.html) use it; a hand-written form template calls it itself.
- `{% error_title_prefix %}`: "Error: " before the page's title when a form on it has errors (in
  templates/base.html, so no page has to remember it).
"""

from django import template
from django.forms import BaseForm
from django.forms.formsets import BaseFormSet
from django.utils.translation import gettext as _

from network.language.forms_renderer import SUMMARY_ID_ATTRIBUTE, summary_id

register = template.Library()


def _has_errors(value) -> bool:
    # type(), not isinstance(): a lazy object in the context (a SimpleLazyObject) is not evaluated.
    kind = type(value)
    if issubclass(kind, BaseForm) or issubclass(kind, BaseFormSet):
        return value.is_bound and not value.is_valid()
    return False


@register.simple_tag(takes_context=True)
def error_title_prefix(context) -> str:
    """ "Error: " (translated) when a bound form in the page's context has errors, else nothing."""
    if any(_has_errors(value) for value in context.flatten().values()):
        return _("Error:") + " "
    return ""


def _anchor(field) -> str:
    """Where a link to a field goes: its input, or the first of a group of radios or checkboxes."""
    if field.id_for_label:
        return field.id_for_label
    return f"{field.auto_id}_0" if field.auto_id else ""


@register.inclusion_tag("includes/_form_errors.html")
def form_errors(form):
    """The error summary of `form` (nothing when it has no errors); marks the form as summarised, so
    that its fields rendered afterwards point at the summary (side effect on the form object)."""
    if not issubclass(type(form), BaseForm) or not form.is_bound or not form.errors:
        return {"show": False}
    hidden = [error for field in form.hidden_fields() for error in field.errors]
    form_wide = [*form.non_field_errors(), *hidden]
    fields = [(field, _anchor(field)) for field in form.visible_fields() if field.errors]
    identifier = summary_id(form)
    setattr(form, SUMMARY_ID_ATTRIBUTE, identifier)
    return {"show": True, "summary_id": identifier, "form_wide": form_wide, "fields": fields}
