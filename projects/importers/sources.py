"""The sources, each fetched by one function that returns a Record (or Records) or raises SourceError.

Each parser reads the shape its source documents, and nothing else:
- doi.org content negotiation (`Accept: application/vnd.citationstyles.csl+json`): CSL-JSON as
  Crossref, DataCite and mEDRA serve it (the CSL-JSON schema, csl-data.json; Crossref's
  "Content negotiation" documentation). doi.org answers with a redirect to the registration agency.
- Swepub's bibliometrics API (libris/swepub-redux, service/apidocs/apispec_bibliometrics_1.json):
  GET `publications/{record_id}` answers the deduplicated record in Swepub's BIBFRAME JSON-LD;
  POST `/` with `{"org": [...], "title": ..., "limit": n}` answers `{"hits": [Publication...],
  "total": n, ...}`.
- LIBRIS Xsearch (libris.kb.se/help/xsearch_eng.jsp): `?query=isbn:...&format=json` answers
  `{"xsearch": {"records": n, "list": [{identifier, title, creator, isbn, type, date, ...}]}}`
  (Dublin Core in JSON). Chosen for ISBNs because the network's reports and books are Swedish: the
  national catalogue (legal deposit, the Swedish ISBN agency is at KB) has them; Open Library mostly
  does not.
Sample answers of each, with where their shape comes from: projects/importers/samples/."""

import re
import unicodedata
from urllib.parse import quote

from django.conf import settings
from django.utils import timezone

from network.orcid import normalise_orcid, orcid_is_valid

from ..models import Output
from ..validators import DOI_RE, isbn_is_valid, normalise_doi, normalise_isbn
from .client import SourceError, malformed, request_json
from .records import Author, Record

DOI, SWEPUB, LIBRIS = "doi", "swepub", "libris"
SOURCE_NAMES = {DOI: "doi.org", SWEPUB: "Swepub", LIBRIS: "LIBRIS"}
SWEPUB_ID_RE = re.compile(r"^oai:[A-Za-z0-9.\-]+[:/]\S{1,180}$")

CSL_TYPES = {
    Output.Type.ARTICLE: {
        "article",
        "article-journal",
        "article-magazine",
        "article-newspaper",
        "paper-conference",
        "review",
        "review-book",
        "journal-article",
        "proceedings-article",
        "posted-content",
    },
    Output.Type.BOOK: {"book", "chapter", "book-chapter", "monograph", "edited-book", "reference-book", "entry"},
    Output.Type.REPORT: {"report", "thesis", "dissertation", "report-component"},
}
SWEPUB_TYPES = [  # (prefix of the output type, Output.Type): the first that matches
    ("https://id.kb.se/term/swepub/output/publication/report", Output.Type.REPORT),
    ("https://id.kb.se/term/swepub/output/publication/working-paper", Output.Type.REPORT),
    ("https://id.kb.se/term/swepub/output/publication/doctoral-thesis", Output.Type.REPORT),
    ("https://id.kb.se/term/swepub/output/publication/licentiate-thesis", Output.Type.REPORT),
    ("https://id.kb.se/term/swepub/output/publication/book", Output.Type.BOOK),
    ("https://id.kb.se/term/swepub/output/publication/edited-book", Output.Type.BOOK),
    ("https://id.kb.se/term/swepub/output/publication/critical-edition", Output.Type.BOOK),
    ("https://id.kb.se/term/swepub/output/publication/foreword-afterword", Output.Type.BOOK),
    ("https://id.kb.se/term/swepub/output/publication/", Output.Type.ARTICLE),  # journal, magazine, review...
    ("https://id.kb.se/term/swepub/output/conference/", Output.Type.ARTICLE),
    ("https://id.kb.se/term/swepub/output/conference", Output.Type.ARTICLE),
]
RELATORS = {f"http://id.loc.gov/vocabulary/relators/{code}" for code in ("aut", "cre", "edt")}


def source_name(source: str) -> str:
    return SOURCE_NAMES.get(source, source)


# --- Small readers shared by the parsers ------------------------------------------------------


def _text(value) -> str:
    """A string from a value that may be a string, a list of strings (CSL titles) or missing."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str) and v.strip()), "")
    return " ".join(value.split()) if isinstance(value, str) else ""


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _year(value) -> int | None:
    """A plausible year (1900 .. next year) from an int or the first four digits of a date string."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        year = value
    else:
        match = re.search(r"\b(1[89]\d\d|2\d\d\d)\b", value if isinstance(value, str) else "")
        if not match:
            return None
        year = int(match.group(1))
    return year if 1900 <= year <= timezone.localdate().year + 1 else None


def _orcid(value) -> str:
    orcid = normalise_orcid(value) if isinstance(value, str) else ""
    return orcid if orcid and orcid_is_valid(orcid) else ""


def _doi(value) -> str:
    for candidate in _strings(value):
        doi = normalise_doi(candidate)
        if DOI_RE.match(doi):
            return doi
    return ""


def _isbn(value, prefer: str = "") -> str:
    found = [normalise_isbn(v.split()[0]) for v in _strings(value) if v.strip()]
    found = [v for v in found if isbn_is_valid(v)]
    if prefer and normalise_isbn(prefer) in found:
        return normalise_isbn(prefer)
    return found[0] if found else ""


def _url(value) -> str:
    url = _text(value)
    return url if url.startswith(("https://", "http://")) and len(url) <= 200 else ""


def _person(given: str, family: str, literal: str = "") -> str:
    return " ".join(part for part in (given, family) if part) or literal


def _finish(record_kwargs: dict, *, source: str, identifier: str) -> Record:
    """A record needs a title and a year; anything less is not a publication record."""
    title = record_kwargs.get("title", "")
    if not title or record_kwargs.get("year") is None:
        raise malformed(source=source_name(source), identifier=identifier)
    record_kwargs["title"] = title[:300]
    return Record(source=source, identifier=identifier, **record_kwargs)


# --- doi.org: CSL-JSON --------------------------------------------------------------------------


def parse_csl(data, *, identifier: str) -> Record:
    if not isinstance(data, dict):
        raise malformed(source=source_name(DOI), identifier=identifier)
    csl_type = _text(data.get("type"))
    kind = next((k for k, names in CSL_TYPES.items() if csl_type in names), Output.Type.OTHER)
    authors = []
    for person in data.get("author") or []:
        if not isinstance(person, dict):
            continue
        given, family = _text(person.get("given")), _text(person.get("family"))
        name = _person(given, family, _text(person.get("literal")) or _text(person.get("name")))
        if not name:
            continue
        affiliations = tuple(
            _text(a.get("name")) for a in person.get("affiliation") or [] if isinstance(a, dict) and a.get("name")
        )
        authors.append(
            Author(name=name, family=family, given=given, orcid=_orcid(person.get("ORCID")), affiliations=affiliations)
        )
    year = None
    for key in ("issued", "published", "published-print", "published-online"):
        parts = (data.get(key) or {}).get("date-parts") if isinstance(data.get(key), dict) else None
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            year = _year(parts[0][0])
            if year:
                break
    title = _text(data.get("title"))
    subtitle = _text(data.get("subtitle"))
    if subtitle and subtitle.lower() not in title.lower():
        title = f"{title}: {subtitle}"
    return _finish(
        {
            "type": kind,
            "title": title,
            "year": year,
            "authors": tuple(authors),
            "doi": _doi(data.get("DOI")) or normalise_doi(identifier),
            "isbn": _isbn(data.get("ISBN")),
            "url": _url(data.get("URL")),
            "extra": {"publisher": _text(data.get("publisher")), "container": _text(data.get("container-title"))},
        },
        source=DOI,
        identifier=identifier,
    )


def doi_fetch(doi: str) -> Record:
    doi = normalise_doi(doi)
    if not DOI_RE.match(doi):
        raise SourceError(SourceError.NOT_FOUND, source=source_name(DOI), identifier=doi)
    data = request_json(
        "GET",
        f"{settings.IMPORT_DOI_URL.rstrip('/')}/{quote(doi, safe='/:;()')}",
        source=source_name(DOI),
        identifier=doi,
        accept="application/vnd.citationstyles.csl+json",
        follow_redirects=True,  # doi.org redirects to the registration agency's metadata service
    )
    return parse_csl(data, identifier=doi)


# --- Swepub -------------------------------------------------------------------------------------


def _swepub_type(output_types: list[str]) -> str:
    for output_type in output_types:
        for prefix, kind in SWEPUB_TYPES:
            if output_type == prefix or output_type.startswith(prefix):
                return kind
    return Output.Type.OTHER


def _affiliation_names(affiliations) -> list[str]:
    names = []
    for affiliation in affiliations or []:
        if not isinstance(affiliation, dict):
            continue
        if affiliation.get("name"):
            names.append(_text(affiliation.get("name")))
        names.extend(_affiliation_names(affiliation.get("hasAffiliation")))
    return names


def _identifiers(node: dict, kind: str) -> list[str]:
    return [
        i.get("value")
        for i in node.get("identifiedBy") or []
        if isinstance(i, dict) and i.get("@type") == kind and isinstance(i.get("value"), str)
    ]


def parse_swepub_record(data, *, identifier: str) -> Record:
    """Swepub's deduplicated BIBFRAME record (GET publications/{record_id})."""
    if not isinstance(data, dict) or not isinstance(data.get("instanceOf"), dict):
        raise malformed(source=source_name(SWEPUB), identifier=identifier)
    work = data["instanceOf"]
    title = ""
    for entry in work.get("hasTitle") or []:
        if isinstance(entry, dict) and entry.get("@type") == "Title":
            title = _text(entry.get("mainTitle"))
            subtitle = _text(entry.get("subtitle"))
            if subtitle:
                title = f"{title}: {subtitle}"
            break
    authors = []
    for contribution in work.get("contribution") or []:
        if not isinstance(contribution, dict):
            continue
        agent = contribution.get("agent") or {}
        roles = {r.get("@id") for r in contribution.get("role") or [] if isinstance(r, dict)}
        if agent.get("@type") != "Person" or (roles and not roles & RELATORS):
            continue
        given, family = _text(agent.get("givenName")), _text(agent.get("familyName"))
        name = _person(given, family, _text(agent.get("name")))
        if name:
            orcid = next((_orcid(v) for v in _identifiers(agent, "ORCID") if _orcid(v)), "")
            affiliations = tuple(_affiliation_names(contribution.get("hasAffiliation")))
            authors.append(Author(name=name, family=family, given=given, orcid=orcid, affiliations=affiliations))
    year = None
    for publication in data.get("publication") or []:
        if isinstance(publication, dict) and publication.get("@type", "").lower() == "publication":
            year = _year(publication.get("date"))
            break
    output_types = [g.get("@id", "") for g in work.get("genreForm") or [] if isinstance(g, dict)]
    url = next((_url(v) for v in _identifiers(data, "URI") if _url(v)), "")
    for locator in data.get("electronicLocator") or []:
        if not url and isinstance(locator, dict) and locator.get("@type") == "Resource":
            url = _url(locator.get("uri"))
    return _finish(
        {
            "type": _swepub_type(output_types),
            "title": title,
            "year": year,
            "authors": tuple(authors),
            "doi": _doi(_identifiers(data, "DOI")),
            "isbn": _isbn(_identifiers(data, "ISBN")),
            "url": url,
            "extra": {"record_id": _text(data.get("@id")) or identifier},
        },
        source=SWEPUB,
        identifier=_text(data.get("@id")) or identifier,
    )


def parse_swepub_hit(hit) -> Record:
    """One hit of Swepub's search (the bibliometrics API's Publication)."""
    identifier = _text(hit.get("recordId")) if isinstance(hit, dict) else ""
    if not identifier:
        raise malformed(source=source_name(SWEPUB))
    authors = []
    for creator in hit.get("creators") or []:
        if not isinstance(creator, dict):
            continue
        given, family = _text(creator.get("givenName")), _text(creator.get("familyName"))
        name = _person(given, family)
        if name:
            affiliations = [_text(creator.get("affiliation"))]
            for branch in creator.get("freetext_affiliations") or []:
                affiliations.extend(_strings(branch))
            authors.append(
                Author(
                    name=name,
                    family=family,
                    given=given,
                    orcid=_orcid(creator.get("ORCID")),
                    affiliations=tuple(a for a in affiliations if a),
                )
            )
    return _finish(
        {
            "type": _swepub_type(_strings(hit.get("outputTypes"))),
            "title": _text(hit.get("title")),
            "year": _year(hit.get("publicationYear")),
            "authors": tuple(authors),
            "doi": _doi(hit.get("DOI")),
            "isbn": _isbn(hit.get("ISBN")),
            "url": _url(hit.get("archiveURI")) or _url(hit.get("electronicLocator")),
            "extra": {"record_id": identifier},
        },
        source=SWEPUB,
        identifier=identifier,
    )


def swepub_fetch(record_id: str) -> Record:
    record_id = (record_id or "").strip()
    if not SWEPUB_ID_RE.match(record_id):
        raise SourceError(SourceError.NOT_FOUND, source=source_name(SWEPUB), identifier=record_id)
    data = request_json(
        "GET",
        f"{settings.IMPORT_SWEPUB_URL.rstrip('/')}/publications/{quote(record_id, safe=':/')}",
        source=source_name(SWEPUB),
        identifier=record_id,
        accept="application/ld+json, application/json",
    )
    return parse_swepub_record(data, identifier=record_id)


def swepub_search(*, org: str, title: str, limit: int = 20) -> tuple[list[Record], int]:
    """Swepub's records of one institution (its Swepub code) whose title has these words: the records
    that could be read, and how many Swepub found."""
    data = request_json(
        "POST",
        f"{settings.IMPORT_SWEPUB_URL.rstrip('/')}/",
        source=source_name(SWEPUB),
        identifier=title,
        json_body={"org": [org], "title": title, "limit": limit},
    )
    if not isinstance(data, dict) or not isinstance(data.get("hits"), list):
        raise malformed(source=source_name(SWEPUB), identifier=title)
    records = []
    for hit in data["hits"]:
        try:
            records.append(parse_swepub_hit(hit))
        except SourceError:
            continue  # one unreadable hit does not hide the others
    total = data.get("total") if isinstance(data.get("total"), int) else len(records)
    return records, total


# --- LIBRIS: an ISBN ----------------------------------------------------------------------------


def _libris_name(value: str) -> str:
    """ "Söderberg, Hjalmar, 1869-1941" -> "Hjalmar Söderberg" (the catalogue's inverted form)."""
    parts = [p.strip() for p in value.split(",") if p.strip() and not re.match(r"^[\d\-–.]+$", p.strip())]
    if len(parts) >= 2:
        return f"{parts[1]} {parts[0]}"
    return parts[0] if parts else ""


def parse_xsearch(data, *, identifier: str) -> Record:
    answer = data.get("xsearch") if isinstance(data, dict) else None
    if not isinstance(answer, dict) or not isinstance(answer.get("list", []), list):
        raise malformed(source=source_name(LIBRIS), identifier=identifier)
    hits = [hit for hit in answer.get("list", []) if isinstance(hit, dict)]
    if not hits:
        raise SourceError(SourceError.NOT_FOUND, source=source_name(LIBRIS), identifier=identifier)
    wanted = normalise_isbn(identifier)
    hit = next((h for h in hits if wanted in {normalise_isbn(v) for v in _strings(h.get("isbn"))}), hits[0])
    title = _text(hit.get("title")).split(" / ")[0].strip()
    authors = []
    for creator in _strings(hit.get("creator")):
        name = _libris_name(creator)
        if name and name not in {a.name for a in authors}:
            family, _, given = creator.partition(",")
            authors.append(Author(name=name, family=family.strip(), given=given.split(",")[0].strip()))
    kind = Output.Type.BOOK if _text(hit.get("type")) == "book" else Output.Type.OTHER
    return _finish(
        {
            "type": kind,
            "title": title,
            "year": _year(_text(hit.get("date"))),
            "authors": tuple(authors),
            "isbn": _isbn(hit.get("isbn"), prefer=identifier) or wanted,
            "url": _url(hit.get("identifier")),
            "extra": {"publisher": _text(hit.get("publisher"))},
        },
        source=LIBRIS,
        identifier=wanted,
    )


def isbn_fetch(isbn: str) -> Record:
    isbn = normalise_isbn(isbn)
    if not isbn_is_valid(isbn):
        raise SourceError(SourceError.NOT_FOUND, source=source_name(LIBRIS), identifier=isbn)
    data = request_json(
        "GET",
        settings.IMPORT_LIBRIS_URL,
        source=source_name(LIBRIS),
        identifier=isbn,
        params={"query": f"isbn:{isbn}", "format": "json", "n": "5"},
    )
    return parse_xsearch(data, identifier=isbn)


FETCHERS = {DOI: doi_fetch, SWEPUB: swepub_fetch, LIBRIS: isbn_fetch}


def fetch(source: str, identifier: str) -> Record:
    """The record of `identifier` at `source` (DOI, SWEPUB or LIBRIS); raises SourceError."""
    return FETCHERS[source](identifier)


def fold(text: str) -> str:
    """Case, accents and punctuation folded away: "Samverkan – en översikt!" -> "samverkan en oversikt"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", bare).split())


# Swepub's code of each member institution (its `org` in a search), by the institution's email domain:
# from Swepub's own list of sources (libris/swepub-redux, resources/sources.json: code and name). Most
# codes are the domain's first label; Chalmers (cth), Mälardalen (mdh: its old name) and Jönköping
# (hj), Marie Cederschiöld (esh: Ersta Sköndal Bräcke, its old name) and Enskilda Högskolan
# Stockholm (ths) are not. tests/test_importers_sources.py checks that every member institution has one.
SWEPUB_ORG_BY_DOMAIN = {
    "kth.se": "kth", "uu.se": "uu", "lu.se": "lu", "gu.se": "gu", "su.se": "su", "umu.se": "umu",
    "liu.se": "liu", "ki.se": "ki", "chalmers.se": "cth", "ltu.se": "ltu", "slu.se": "slu", "kau.se": "kau",
    "lnu.se": "lnu", "oru.se": "oru", "miun.se": "miun", "mau.se": "mau", "mdu.se": "mdh", "hb.se": "hb",
    "du.se": "du", "hig.se": "hig", "hh.se": "hh", "hkr.se": "hkr", "hv.se": "hv", "his.se": "his",
    "bth.se": "bth", "ju.se": "hj", "sh.se": "sh", "fhs.se": "fhs", "gih.se": "gih", "konstfack.se": "konstfack",
    "kmh.se": "kmh", "uniarts.se": "uniarts", "shh.se": "shh", "mchs.se": "esh", "rkh.se": "rkh",
    "ehs.se": "ths", "hhs.se": "hhs", "kkh.se": "kkh",
}  # fmt: skip


def swepub_org(institution) -> str:
    """The institution's Swepub code, from its email domains ("" when Swepub has none)."""
    for domain in institution.domains.all():
        code = SWEPUB_ORG_BY_DOMAIN.get(domain.domain)
        if code:
            return code
    return ""
