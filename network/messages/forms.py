"""The compose form of a message to members: the text in two languages and the registered filters.

Validation only: the recipients are chosen by `messaging.message_recipients`, the message is
recorded and sent by `messaging.message_send`.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from network.messages import messaging


class MessageForm(forms.Form):
    subject_sv = forms.CharField(label=_("Subject in Swedish"), max_length=200)
    body_sv = forms.CharField(
        label=_("Text in Swedish"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Plain text. Line breaks are kept; web addresses become links."),
    )
    subject_en = forms.CharField(label=_("Subject in English"), max_length=200, required=False)
    body_en = forms.CharField(
        label=_("Text in English"),
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        help_text=_("Optional. Members who chose English get this version; the others the Swedish one."),
    )
    # Made for the preview and sent back with "Send": the same form sent twice mails nobody twice.
    token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    # How many recipients the preview showed: a change before "Send" is shown again, not sent blindly.
    expected = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    text_fields = ["subject_sv", "body_sv", "subject_en", "body_en"]

    def __init__(self, *args, scope=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope
        self.recipient_filters = messaging.filters_for(scope)
        self.filter_field_names = []
        for recipient_filter in self.recipient_filters:
            for name, field in recipient_filter.fields(scope).items():
                self.fields[name] = field
                self.filter_field_names.append(name)

    def text_bound_fields(self):
        return [self[name] for name in self.text_fields]

    def filter_bound_fields(self):
        return [self[name] for name in self.filter_field_names]

    def clean(self):
        cleaned_data = super().clean()
        subject_en, body_en = cleaned_data.get("subject_en", "").strip(), cleaned_data.get("body_en", "").strip()
        if subject_en and not body_en:
            self.add_error("body_en", _("Write the English text too, or leave the English subject empty."))
        if body_en and not subject_en:
            self.add_error("subject_en", _("Write the English subject too, or leave the English text empty."))
        for recipient_filter in self.recipient_filters:
            if recipient_filter.clean is not None:
                for name, error in recipient_filter.clean(cleaned_data, self.scope).items():
                    self.add_error(name, error)
        # The preview's hidden fields, tampered with or garbled: she can neither see nor fix them, so
        # the error is said where she looks, and she previews again.
        hidden = [name for name in ("token", "expected") if name in self.errors]
        for name in hidden:
            del self.errors[name]
        if hidden:
            raise forms.ValidationError(_("The preview could not be checked. Please preview the message again."))
        return cleaned_data

    def filter_data(self) -> dict:
        """The cleaned filters as JSON-able data ({} for a filter left open), as Message.filters keeps it."""
        data = {}
        for recipient_filter in self.recipient_filters:
            value = recipient_filter.to_data(self.cleaned_data, self.scope)
            if value:
                data[recipient_filter.name] = value
        return data

    def counted_filters(self) -> dict | None:
        """The filters the recipient count is for: none on an unbound form, None while one is wrong
        (the text may still be empty: only the filters count here)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        if any(name in self.errors for name in self.filter_field_names):
            return None
        return self.filter_data()

    def text(self) -> dict:
        return {name: self.cleaned_data[name].strip() for name in self.text_fields}
