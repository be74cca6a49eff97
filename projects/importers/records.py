"""What a source said about an output, in one shape whatever the source: pure data, no models."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Author:
    name: str  # as it is shown: "Given Family"
    family: str = ""
    given: str = ""
    orcid: str = ""  # normalised (0000-0002-1825-0097) or ""
    affiliations: tuple[str, ...] = ()  # free text, as the source gave them


@dataclass(frozen=True)
class Record:
    """One output as a source described it. `type` is one of projects.Output.Type's values."""

    source: str  # OutputSource.Source value
    identifier: str  # what it is looked up by at the source: the DOI, the Swepub record id, the ISBN
    type: str
    title: str
    year: int | None
    authors: tuple[Author, ...] = ()
    doi: str = ""
    isbn: str = ""
    url: str = ""
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def authors_text(self) -> str:
        """Output.authors: the names, as the catalogue shows them."""
        return "; ".join(author.name for author in self.authors)
