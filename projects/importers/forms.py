"""The import page's forms: validation only (the views ask the sources, the services write)."""

import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from network.models import Institution, Member
from network.orcid import normalise_orcid

from ..forms import OutputForm
from ..validators import DOI_RE, isbn_is_valid, normalise_doi, normalise_isbn
from .models import Source
from .sources import SWEPUB_ID_RE, SWEPUB_ORG_BY_DOMAIN

IDENTIFIER_HELP = {
    Source.DOI: _("e.g. 10.1234/abc-123 or https://doi.org/10.1234/abc-123"),
    Source.SWEPUB: _("e.g. oai:DiVA.org:kth-123456"),
    Source.LIBRIS: _("e.g. 978-91-7063-000-0"),
}


def clean_identifier(source: str, value: str) -> str:
    """The identifier in the form the source is asked with; ValidationError when it cannot be one."""
    value = (value or "").strip()
    if source == Source.DOI:
        doi = normalise_doi(value)
        if not DOI_RE.match(doi):
            raise forms.ValidationError(
                _("“%(value)s” is not a DOI. A DOI looks like 10.1234/abc-123."), params={"value": value}
            )
        return doi
    if source == Source.LIBRIS:
        isbn = normalise_isbn(value)
        if not isbn_is_valid(isbn):
            raise forms.ValidationError(
                _("“%(value)s” is not a valid ISBN: an ISBN has 10 or 13 digits and a correct check digit."),
                params={"value": value},
            )
        return isbn
    if not SWEPUB_ID_RE.match(value):
        raise forms.ValidationError(
            _("“%(value)s” is not a Swepub record identifier, which looks like oai:DiVA.org:kth-123456."),
            params={"value": value},
        )
    return value


class IdentifierMixin:
    """A form with `source` and `identifier`: the identifier cleaned as that source is asked with it,
    its error on `identifier_error_field` (None: form-wide, when the field is hidden)."""

    identifier_error_field: str | None = "identifier"

    def clean(self):
        data = super().clean()
        if data.get("source") and data.get("identifier"):
            try:
                data["identifier"] = clean_identifier(data["source"], data["identifier"])
            except forms.ValidationError as error:
                self.add_error(self.identifier_error_field, error)
        return data


class LookupForm(IdentifierMixin, forms.Form):
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices, initial=Source.DOI)
    identifier = forms.CharField(
        label=_("DOI, Swepub record identifier or ISBN"),
        max_length=200,
        help_text=_("A DOI (10.1234/abc-123), a Swepub record identifier (oai:DiVA.org:kth-123456) or an ISBN."),
    )


def swepub_institutions():
    """Member institutions that Swepub has records of (their code: sources.SWEPUB_ORG_BY_DOMAIN)."""
    return Institution.objects.filter(domains__domain__in=list(SWEPUB_ORG_BY_DOMAIN)).distinct().order_by("name")


class SearchForm(forms.Form):
    institution = forms.ModelChoiceField(label=_("Institution"), queryset=Institution.objects.none())
    title = forms.CharField(label=_("Words in the title"), min_length=3, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = swepub_institutions()


class BatchForm(forms.Form):
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices, initial=Source.DOI)
    identifiers = forms.CharField(
        label=_("Identifiers"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Here, not on the field: translated in the request's language, with the setting as it is now.
        self.fields["identifiers"].help_text = _(
            "One DOI, Swepub record identifier or ISBN per line, at most %(max)s."
        ) % {"max": settings.IMPORT_BATCH_MAX}

    def clean(self):
        data = super().clean()
        source, text = data.get("source"), data.get("identifiers")
        if not (source and text):
            return data
        values = [v for v in re.split(r"[\s,;]+", text) if v]
        if len(values) > settings.IMPORT_BATCH_MAX:
            self.add_error(
                "identifiers",
                _("At most %(max)s identifiers at a time; you gave %(count)s.")
                % {"max": settings.IMPORT_BATCH_MAX, "count": len(values)},
            )
            return data
        cleaned, errors = [], []
        for value in values:
            try:
                cleaned.append(clean_identifier(source, value))
            except forms.ValidationError as error:
                errors.extend(error.messages)
        if errors:
            self.add_error("identifiers", errors[:5])
        data["identifiers"] = cleaned  # the list, in the form each source is asked with
        return data


class ReviewForm(IdentifierMixin, OutputForm):
    """The output's fields as the source gave them, for a person to check and correct. The source and
    identifier ride along hidden; the authors are ReviewAuthorsForm's (the same prefix, one <form>)."""

    source = forms.ChoiceField(choices=Source.choices, widget=forms.HiddenInput)
    identifier = forms.CharField(max_length=200, widget=forms.HiddenInput)

    OUTPUT_FIELDS = ["type", "title", "authors", "year", "doi", "isbn", "url"]
    identifier_error_field = None  # hidden: the error goes to the top

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["file"], self.fields["spin_out"]  # an imported output has neither (yet)

    def output_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.OUTPUT_FIELDS}


class ReviewAuthorsForm(forms.Form):
    """The record's authors (hidden: name, ORCID, the member proposed) and a box to tick for each
    proposal a person confirms; an author left unticked is saved by name only."""

    author_count = forms.IntegerField(min_value=0, max_value=200, widget=forms.HiddenInput)

    def __init__(self, *args, authors=(), proposals=(), **kwargs):
        """`authors` (records.Author) and `proposals` (matching.Proposal) start the author fields; a
        posted form reads them back from its hidden fields."""
        super().__init__(*args, **kwargs)
        if self.is_bound:
            count = self._posted_count()
            names = [self.data.get(self.add_prefix(f"author_name_{i}"), "") for i in range(count)]
            posted = {i: self.data.get(self.add_prefix(f"author_member_{i}")) for i in range(count)}
            ids = [int(v) for v in posted.values() if str(v or "").isdigit()]
            members = Member.objects.active().select_related("user", "institution").in_bulk(ids)
            labelled = {
                i: (names[i], members[int(v)])
                for i, v in posted.items()
                if str(v or "").isdigit() and int(v) in members
            }
        else:
            count = len(authors)
            labelled = {p.position: (p.author.name, p.member, p.reason_display) for p in proposals}
        for i in range(count):
            author = authors[i] if i < len(authors) else None
            self.fields[f"author_name_{i}"] = forms.CharField(
                max_length=200, widget=forms.HiddenInput, initial=author.name if author else ""
            )
            self.fields[f"author_orcid_{i}"] = forms.CharField(
                max_length=40, required=False, widget=forms.HiddenInput, initial=author.orcid if author else ""
            )
            found = labelled.get(i)
            self.fields[f"author_member_{i}"] = forms.ModelChoiceField(
                queryset=Member.objects.active(),
                required=False,
                widget=forms.HiddenInput,
                initial=found[1].pk if found else None,
            )
            if found is not None:
                name, member = found[0], found[1]
                label = _("%(author)s is %(member)s, %(institution)s") % {
                    "author": name,
                    "member": member.full_name,
                    "institution": member.institution.display_short,
                }
                if len(found) > 2:
                    label = f"{label} ({found[2]})"
                self.fields[f"author_confirm_{i}"] = forms.BooleanField(label=label, required=False, initial=False)
        self.fields["author_count"].initial = count

    def _posted_count(self) -> int:
        try:
            return max(0, min(int(self.data.get(self.add_prefix("author_count"), 0)), 200))
        except (TypeError, ValueError):
            return 0

    def author_choices(self) -> list[tuple[str, str, object]]:
        """(name, orcid, confirmed member or None) for each author, in order."""
        chosen = []
        for i in range(self.cleaned_data.get("author_count") or 0):
            name = self.cleaned_data.get(f"author_name_{i}", "")
            if not name:
                continue
            orcid = normalise_orcid(self.cleaned_data.get(f"author_orcid_{i}", ""))
            member = (
                self.cleaned_data.get(f"author_member_{i}") if self.cleaned_data.get(f"author_confirm_{i}") else None
            )
            chosen.append((name, orcid if len(orcid) == 19 else "", member))
        return chosen


class ConfirmAuthorsForm(forms.Form):
    """A batch's proposed authors, each confirmed with a tick (the job page)."""

    authors = forms.MultipleChoiceField(
        label=_("Authors to confirm"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, links=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authors"].choices = [
            (
                str(link.pk),
                _("%(author)s in “%(title)s” is %(member)s, %(institution)s")
                % {
                    "author": link.name,
                    "title": link.output.title,
                    "member": link.proposed.full_name,
                    "institution": link.proposed.institution.display_short,
                },
            )
            for link in links
        ]
