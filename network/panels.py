"""Parts of pages that the apps above fill: a lower app knows no upper app.

A page of the network app (an institution, a member's profile) shows what other apps know about it:
the meetings an institution hosted, the projects it or a member takes part in; meetings' register of
who came to the meetings (`participation`) leads back to the results dashboard of projects, which
links to it. The apps above register a template for a page here when they start
(`AppConfig.ready`); the page includes, in order, whatever was registered, with its own context.
"""

from dataclasses import dataclass

PAGES = ("institution_detail", "member_detail", "participation")


@dataclass(frozen=True, order=True)
class Panel:
    order: int
    template_name: str


_registry: dict[str, list[Panel]] = {page: [] for page in PAGES}


def register_panel(page: str, template_name: str, *, order: int) -> None:
    """Show `template_name` on the network page `page`, sorted by `order` among the others. Idempotent."""
    if page not in _registry:
        raise ValueError(f"{page!r} has no panels; pages with panels: {', '.join(PAGES)}")
    panel = Panel(order, template_name)
    if panel not in _registry[page]:
        _registry[page].append(panel)
        _registry[page].sort()


def panels(page: str) -> list[str]:
    """The template names registered for `page`, in their order."""
    return [panel.template_name for panel in _registry[page]]
