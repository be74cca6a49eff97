"""`{% fragment "meeting_head" meeting=meeting.pk host=meeting.host_id %}...{% endfragment %}`: a
piece of a template kept in the cache under its declaration (network/cache/, `Fragment`): the
namespaces it depends on and its lifetime are read from there, never spelled in the template.
Keyword arguments fill the declaration's namespaces (and are part of the key); other arguments only
tell readers apart (her own answer: `member.pk registration_open`); `parts=` takes a list of them
(a list view's filters and variant, computed by the view: network/mixins.py)."""

from weakref import WeakKeyDictionary

from django import template
from django.utils.safestring import mark_safe

from network import cache

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, params, parts):
        self.nodelist = nodelist
        self.name = name
        self.params = params
        self.parts = parts

    def resolve(self, context) -> tuple[cache.Fragment, list, dict]:
        declared = cache.fragment(self.name.resolve(context))
        params = {}
        parts = []
        for name, value in self.params.items():
            resolved = value.resolve(context)
            if name == "parts":
                parts.extend(resolved)
            else:
                params[name] = resolved
        parts.extend(part.resolve(context) for part in self.parts)
        return declared, parts, params

    def render(self, context):
        if not cache.enabled():
            return self.nodelist.render(context)
        if READ_AHEAD not in context.render_context:
            context.render_context[READ_AHEAD] = True
            read_ahead(context)
        declared, parts, params = self.resolve(context)
        key = declared.key(*parts, **params)
        found, html = cache.read(key)
        if not found:
            day = cache.today()
            with declared.build(**params):
                html = str(self.nodelist.render(context))
            cache.store(key, html, day=day, seconds=declared.seconds)
        return mark_safe(html)


READ_AHEAD = "fragments_read_ahead"
# The fragment tags of each compiled template (the cached loader keeps templates for the process).
_NODES: "WeakKeyDictionary[template.Template, list[FragmentNode]]" = WeakKeyDictionary()


def fragment_nodes(compiled: template.Template) -> list:
    nodes = _NODES.get(compiled)
    if nodes is None:
        nodes = _NODES[compiled] = compiled.nodelist.get_nodes_by_type(FragmentNode)
    return nodes


def read_ahead(context) -> None:
    """At a page's first fragment, read every fragment of its template in two round trips (the
    namespaces' versions, then the entries) instead of two per fragment. A fragment whose arguments
    are not known yet (inside a loop) is read when it renders, as before."""
    found = []
    namespaces = []
    for node in fragment_nodes(context.template):
        try:
            declared, parts, params = node.resolve(context)
            namespaces += declared.namespaces(**params)
        except (template.VariableDoesNotExist, KeyError, IndexError, TypeError, ValueError):
            continue
        found.append((declared, parts, params))
    if len(found) < 2:
        return
    cache.prefetch(*namespaces)
    cache.read_ahead(declared.key(*parts, **params) for declared, parts, params in found)


@register.tag("fragment")
def do_fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("'fragment' takes the name of a declared fragment")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    params = {}
    parts = []
    for bit in bits[2:]:
        name, sep, value = bit.partition("=")
        if sep and name.isidentifier():
            params[name] = parser.compile_filter(value)
        else:
            parts.append(parser.compile_filter(bit))
    return FragmentNode(nodelist, parser.compile_filter(bits[1]), params, parts)
