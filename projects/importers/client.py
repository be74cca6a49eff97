"""The one HTTP client of the importers (httpx): timeouts on every request, redirects followed only
where a source documents them (doi.org), answers capped in size, and every failure turned into a
SourceError whose code says what went wrong in words a member understands (`str(error)`)."""

import functools
import json
import ssl

import certifi
import httpx
from django.conf import settings
from django.utils.translation import gettext_lazy

USER_AGENT = "KLOSS-Net intranet (output import; https://kloss-net.se)"


class SourceError(Exception):
    """A source could not give the record. `code` is kept (a batch item's result); `str()` translates
    it in the active language."""

    DOWN = "down"
    TIMEOUT = "timeout"
    NOT_FOUND = "not_found"
    MALFORMED = "malformed"
    CODES = {
        DOWN: gettext_lazy("%(source)s cannot be reached just now. Nothing was imported; please try again later."),
        TIMEOUT: gettext_lazy("%(source)s did not answer in time. Nothing was imported; please try again later."),
        NOT_FOUND: gettext_lazy("%(source)s has no record of “%(identifier)s”."),
        MALFORMED: gettext_lazy(
            "%(source)s answered with something that is not a publication record. Nothing was imported."
        ),
    }

    def __init__(self, code: str, *, source: str, identifier: str = ""):
        super().__init__(code)
        self.code = code
        self.source = source
        self.identifier = identifier

    def __str__(self) -> str:
        return message_for(self.code, source=self.source, identifier=self.identifier)


def message_for(code: str, *, source: str, identifier: str = "") -> str:
    template = SourceError.CODES.get(code, SourceError.CODES[SourceError.MALFORMED])
    return str(template) % {"source": source, "identifier": identifier}


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One verifying TLS context per process: building it (reading certifi's CA bundle) costs more than
    a look-up on loopback, and a batch makes one client per record."""
    return ssl.create_default_context(cafile=certifi.where())


def _timeout() -> httpx.Timeout:
    return httpx.Timeout(
        settings.IMPORT_READ_TIMEOUT, connect=settings.IMPORT_CONNECT_TIMEOUT, pool=settings.IMPORT_CONNECT_TIMEOUT
    )


def request_json(
    method: str,
    url: str,
    *,
    source: str,
    identifier: str = "",
    accept: str = "application/json",
    params: dict | None = None,
    json_body: dict | None = None,
    follow_redirects: bool = False,
):
    """The answer's JSON. Raises SourceError: DOWN (no connection, a 5xx, another error status),
    TIMEOUT, NOT_FOUND (404/410), MALFORMED (not JSON, or too large)."""
    headers = {"Accept": accept, "User-Agent": USER_AGENT}
    try:
        with (
            httpx.Client(
                timeout=_timeout(), follow_redirects=follow_redirects, headers=headers, verify=_ssl_context()
            ) as client,
            client.stream(method, url, params=params, json=json_body) as response,
        ):
            if response.status_code in (404, 410):
                raise SourceError(SourceError.NOT_FOUND, source=source, identifier=identifier)
            if response.status_code != 200:
                raise SourceError(SourceError.DOWN, source=source, identifier=identifier)
            body = bytearray()
            for chunk in response.iter_bytes():
                body.extend(chunk)
                if len(body) > settings.IMPORT_MAX_ANSWER_BYTES:
                    raise SourceError(SourceError.MALFORMED, source=source, identifier=identifier)
    except httpx.TimeoutException:
        raise SourceError(SourceError.TIMEOUT, source=source, identifier=identifier) from None
    except httpx.HTTPError:  # refused, reset, DNS, too many redirects, a broken answer
        raise SourceError(SourceError.DOWN, source=source, identifier=identifier) from None
    try:
        return json.loads(bytes(body))
    except ValueError:  # not JSON, or not UTF-8
        raise SourceError(SourceError.MALFORMED, source=source, identifier=identifier) from None


def malformed(*, source: str, identifier: str = "") -> SourceError:
    return SourceError(SourceError.MALFORMED, source=source, identifier=identifier)
