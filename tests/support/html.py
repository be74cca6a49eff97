"""What a page offers: the options of its lists to choose from and the addresses of its links, read
with the standard library's HTML parser (what a browser would show, not a regular expression's guess)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Offered:
    options: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # select name -> (value, label)
    links: list[str] = field(default_factory=list)  # every <a href>, in page order

    def values(self, select: str) -> list[str]:
        return [value for value, _label in self.options.get(select, [])]


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.offered = Offered()
        self._select: str | None = None
        self._option: list | None = None  # [value, label parts]

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "select":
            self._select = attributes.get("name") or ""
            self.offered.options.setdefault(self._select, [])
        elif tag == "option" and self._select is not None:
            self._close_option()
            self._option = [attributes.get("value"), []]
        elif tag == "a" and attributes.get("href") is not None:
            self.offered.links.append(attributes["href"])

    def handle_data(self, data):
        if self._option is not None:
            self._option[1].append(data)

    def handle_endtag(self, tag):
        if tag == "option":
            self._close_option()
        elif tag == "select":
            self._close_option()
            self._select = None

    def _close_option(self):
        if self._option is not None and self._select is not None:
            value, parts = self._option
            label = "".join(parts).strip()
            self.offered.options[self._select].append((label if value is None else value, label))
        self._option = None


def offered(html: str) -> Offered:
    """The options (per <select name>) and the links of a page."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.offered
