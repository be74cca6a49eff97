"""Is an output registered already? By DOI (case-insensitive, however it was typed), by ISBN (ISBN-10
and ISBN-13 of one book are the same book), by title (case, accents and punctuation folded away).

Across the whole network, not the project alone: one result is registered once, under the project
that has it. Three queries at most, each reading two columns."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ..models import Output
from ..validators import isbn_is_valid, normalise_doi, normalise_isbn
from .records import Record
from .sources import fold

REASONS = {
    "doi": _("the same DOI"),
    "isbn": _("the same ISBN"),
    "title": _("the same title"),
    "record": _("the same record at the source"),
}


@dataclass(frozen=True)
class Duplicate:
    output: Output
    reason: str  # a key of REASONS

    @property
    def reason_display(self) -> str:
        return str(REASONS[self.reason])


def isbn13(value: str) -> str:
    """An ISBN as its 13 digits (an ISBN-10 gets the 978 prefix and a new check digit)."""
    digits = normalise_isbn(value)
    if len(digits) == 10 and isbn_is_valid(digits):
        body = "978" + digits[:9]
        check = (10 - sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(body)) % 10) % 10
        return body + str(check)
    return digits


def _by_pk(pk: int) -> Output:
    return Output.objects.select_related("project").get(pk=pk)


def find_duplicate(*, doi: str = "", isbn: str = "", title: str = "") -> Duplicate | None:
    doi = normalise_doi(doi).lower()
    if doi:
        for pk, stored in Output.objects.filter(doi__icontains=doi).values_list("pk", "doi"):
            if normalise_doi(stored).lower() == doi:
                return Duplicate(_by_pk(pk), "doi")
    wanted = isbn13(isbn) if isbn else ""
    if wanted:
        for pk, stored in Output.objects.exclude(isbn="").values_list("pk", "isbn"):
            if isbn13(stored) == wanted:
                return Duplicate(_by_pk(pk), "isbn")
    folded = fold(title)
    if folded:
        for pk, stored in Output.objects.values_list("pk", "title").iterator(chunk_size=2000):
            if fold(stored) == folded:
                return Duplicate(_by_pk(pk), "title")
    return None


def record_duplicate(record: Record) -> Duplicate | None:
    return find_duplicate(doi=record.doi, isbn=record.isbn, title=record.title)
