"""URLs and domains: the one home of the rules that read an article's URL and match it to an outlet.

A URL is read the way a browser reads it, so that the host the corpus records is the host a
reader's browser would visit: scheme and host are case-insensitive (``HTTPS://LENTA.UA/x`` is
``lenta.ua``); a backslash is refused (browsers read ``https://evil.com\\@lenta.ua/`` as
``evil.com``); so is a user name or password before ``@`` (``https://lenta.ua@evil.com/`` goes to
``evil.com``), whitespace, a malformed host or port (``https://[::1/x``), and anything but
http(s). Hosts are compared in their ASCII (IDNA) form, ``www.`` ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

from corpus.errors import CorpusError

#: A domain name in ASCII: dot-separated labels of letters, digits and inner hyphens, a
#: top-level label that is not all digits (so no IP addresses), 253 characters at most.
DOMAIN = re.compile(
    r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z][a-z0-9-]{0,61}[a-z0-9]|xn--[a-z0-9-]{1,59})$"
)
SCHEMES = ("http", "https")


def ascii_domain(value: str) -> str | None:
    """The lowercase ASCII (IDNA) form of a domain name, or None if it is not one."""
    host = value.strip().lower().rstrip(".")
    try:
        ascii_host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        return None
    return ascii_host if DOMAIN.match(ascii_host) else None


def url_problem(value: str) -> str | None:
    """What is wrong with an article URL (None when it is a valid http(s) URL with a domain host)."""
    if any(ch.isspace() for ch in value) or "\\" in value:
        return "has whitespace or a backslash (browsers read '\\' as '/'): write the URL as a browser shows it"
    try:
        parts = urlsplit(value)
        host, _ = parts.hostname, parts.port  # .port raises on a malformed port
    except ValueError as exc:
        return f"is malformed ({exc}): write the URL as a browser shows it"
    if parts.scheme.lower() not in SCHEMES or not value[len(parts.scheme) :].startswith("://"):
        return "is not an http(s) URL (https://host/path)"
    if "@" in parts.netloc:
        return "has a user name or password before '@' (a browser would go to the host after it): remove it"
    if host is None or ascii_domain(host) is None:
        return "has no valid domain name as its host"
    return None


def url_host(value: str, *, where: str, error: type[CorpusError]) -> str:
    """The ASCII host of an article URL found at ``where``.

    Raises:
        CorpusError: (of class ``error``) naming ``where`` and what is wrong with the URL.
    """
    problem = url_problem(value)
    if problem is not None:
        raise error(f"{where}: URL {value!r} {problem}")
    host = ascii_domain(urlsplit(value).hostname or "")
    assert host is not None  # url_problem checked it
    return host


def normal_url(value: str) -> str:
    """A valid URL with its scheme and host in lowercase, as a browser shows it (path and query kept)."""
    parts = urlsplit(value)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, parts.query, parts.fragment))


def host_in_domains(host: str, domains: Iterable[str]) -> bool:
    """Whether a URL's host is one of ``domains`` or a subdomain of one (``www.`` ignored)."""
    ascii_host = ascii_domain(host)
    if ascii_host is None:
        return False
    ascii_host = ascii_host.removeprefix("www.")
    for domain in domains:
        name = ascii_domain(domain) if domain else None
        if name and (ascii_host == name or ascii_host.endswith("." + name)):
            return True
    return False
