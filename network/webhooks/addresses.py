"""Where a webhook may be sent: https, to a host whose every address is a public one (no SSRF).

A subscription's address is checked when it is saved (`url_check`, a ValidationError with a translated
message) and again at each delivery (`url_resolve`): the name is resolved then, every address it resolves
to must be public, and the caller connects to the address that was checked (never resolving the name a
second time, so a name that answers a public address to the check and a private one to the connection,
DNS rebinding, gains nothing). Refused: loopback, private (RFC 1918, unique-local fc00::/7), link-local,
multicast, reserved, unspecified, shared (100.64/10) and documentation ranges, in IPv4 and IPv6,
including IPv4 written inside IPv6 (::ffff:127.0.0.1, 64:ff9b::a00:1, 6to4, Teredo).

settings.WEBHOOK_ALLOW_LOCAL_RECEIVERS (tests and development only; `manage.py check --deploy` warns
when it is on) lets http:// and loopback receivers through, nothing else: a test's receiver on 127.0.0.1.

May import: Django and the standard library only.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class UnsafeAddress(ValidationError):
    """The address may not be called (a ValidationError: a form shows its message as it is)."""


@dataclass(frozen=True)
class Target:
    """A checked receiver: what to connect to (`address`) and what to call it (`host`, for Host and TLS)."""

    scheme: str
    host: str
    port: int
    path: str  # with its query string
    address: str


def _local_allowed() -> bool:
    return bool(getattr(settings, "WEBHOOK_ALLOW_LOCAL_RECEIVERS", False))


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    return None


def address_is_public(ip: IPAddress) -> bool:
    """Whether a webhook may connect to `ip`: a globally routable unicast address (and, for IPv6 that
    carries an IPv4 address, that one too)."""
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None and not address_is_public(inner):
            return False
        if ip.scope_id:
            return False
    flags = (ip.is_loopback, ip.is_private, ip.is_link_local, ip.is_multicast, ip.is_reserved, ip.is_unspecified)
    return ip.is_global and not any(flags)


def address_allowed(ip: IPAddress) -> bool:
    if address_is_public(ip):
        return True
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return _local_allowed() and ip.is_loopback


def _split(url: str):
    """(scheme, host, port, path) of `url`, or UnsafeAddress when it is not an address we call."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise UnsafeAddress(_("This is not a web address."), code="invalid") from None
    schemes = ("https", "http") if _local_allowed() else ("https",)
    if parts.scheme not in schemes:
        raise UnsafeAddress(_("The address must start with https://."), code="scheme")
    if parts.username is not None or parts.password is not None:
        raise UnsafeAddress(_("The address may not contain a user name or password."), code="userinfo")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise UnsafeAddress(_("The address has no host name."), code="invalid")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, host, port or (443 if parts.scheme == "https" else 80), path


def _refused(host: str) -> UnsafeAddress:
    return UnsafeAddress(
        _(
            "%(host)s is a local or private address (loopback, private network, link-local, multicast or "
            "reserved): a webhook must go to a public address."
        )
        % {"host": host},
        code="private",
    )


def url_resolve(url: str) -> Target:
    """Check `url` and resolve its host now; the Target to connect to. Raises UnsafeAddress when the
    address may not be called: not https, or a host any of whose addresses is not public (every
    address counts, so a name that also answers 127.0.0.1 is refused), or a name that does not resolve."""
    scheme, host, port, path = _split(url)
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        literal = None
    if (
        literal is None
        and (host.lower() == "localhost" or host.lower().endswith(".localhost"))
        and not _local_allowed()
    ):
        raise _refused(host)
    try:
        found = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise UnsafeAddress(_("The host name %(host)s cannot be resolved.") % {"host": host}, code="dns") from None
    addresses = []
    for _family, _type, _proto, _name, sockaddr in found:
        ip = ipaddress.ip_address(sockaddr[0].split("%")[0])
        if not address_allowed(ip):
            raise _refused(host)
        addresses.append(str(ip))
    if not addresses:
        raise UnsafeAddress(_("The host name %(host)s cannot be resolved.") % {"host": host}, code="dns")
    return Target(scheme=scheme, host=host.strip("[]"), port=port, path=path, address=addresses[0])


def url_check(url: str) -> None:
    """A validator for a subscription's address (raises UnsafeAddress with a translated message)."""
    url_resolve(url)
