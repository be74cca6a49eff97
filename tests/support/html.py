"""Reading a page's HTML as a browser (and a screen reader) would: its elements with their attributes
and text, found by tag, id or attribute. Python's own parser: enough for asserting what a page says."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parent: "Element | None" = None
    children: list["Element"] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The element's text with its descendants', whitespace collapsed."""
        parts = []

        def walk(element):
            parts.extend(element.texts)
            for child in element.children:
                walk(child)

        walk(self)
        return " ".join(" ".join(parts).split())

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrs.get(name, default)

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.current = self.root
        self.all: list[Element] = []

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {name: value if value is not None else "" for name, value in attrs}, self.current)
        self.current.children.append(element)
        self.all.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.current = self.current.parent

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.texts.append(data)


class Page:
    def __init__(self, html: str | bytes):
        parser = _Parser()
        parser.feed(html.decode() if isinstance(html, bytes) else html)
        self.root = parser.root
        self.elements = parser.all

    def find_all(self, tag: str | None = None, **attrs: str | bool) -> list[Element]:
        """Elements with this tag (any, if None) whose attributes match: a string is the exact value,
        True means present. Use `class_` for `class`, underscores for dashes (aria_invalid)."""
        wanted = {name.rstrip("_").replace("_", "-"): value for name, value in attrs.items()}

        def matches(element):
            if tag is not None and element.tag != tag:
                return False
            for name, value in wanted.items():
                if value is True:
                    if name not in element.attrs:
                        return False
                elif element.attrs.get(name) != value:
                    return False
            return True

        return [element for element in self.elements if matches(element)]

    def find(self, tag: str | None = None, **attrs: str | bool) -> Element | None:
        found = self.find_all(tag, **attrs)
        return found[0] if found else None

    def by_id(self, identifier: str) -> Element | None:
        return self.find(id=identifier)

    @property
    def title(self) -> str:
        title = self.find("title")
        return title.text if title else ""


@dataclass
class Offered:
    """What a page offers to choose from: its lists' options and its links."""

    options: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # select name -> (value, label)
    links: list[str] = field(default_factory=list)  # every <a href>, in page order

    def values(self, select: str) -> list[str]:
        return [value for value, _label in self.options.get(select, [])]


def offered(html: str | bytes) -> Offered:
    """The options (per <select name>) and the links of a page."""
    page = Page(html)
    result = Offered(links=[a.get("href") for a in page.find_all("a", href=True)])
    for select in page.find_all("select"):
        options = result.options.setdefault(select.get("name") or "", [])
        for option in page.find_all("option"):
            if select in option.ancestors():
                options.append((option.get("value", option.text), option.text))
    return result
