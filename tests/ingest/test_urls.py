"""URLs are read the way browsers read them; hosts are matched to outlets in their ASCII form."""

from __future__ import annotations

import pytest

from corpus.errors import CatalogError
from corpus.ingest.urls import ascii_domain, host_in_domains, url_host, url_problem


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://lenta.ua/x", "lenta.ua"),
        ("HTTPS://LENTA.UA/x", "lenta.ua"),  # scheme and host are case-insensitive
        ("http://www.lenta.ua:8080/a?b=c#d", "www.lenta.ua"),
        ("https://пример.рф/статья", "xn--e1afmkfd.xn--p1ai"),
    ],
)
def test_good_urls_give_their_host(url: str, host: str) -> None:
    assert url_problem(url) is None
    assert url_host(url, where="here", error=CatalogError) == host


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://[::1/x", "is malformed"),
        ("https://evil.com\\@lenta.ua/", "backslash"),  # browsers go to evil.com
        ("https://lenta.ua@evil.com/", "user name or password"),
        ("https://user:pw@lenta.ua/", "user name or password"),
        ("https://lenta.ua:99999/", "is malformed"),
        ("https://lenta .ua/", "whitespace"),
        ("ftp://lenta.ua/", "is not an http(s) URL"),
        ("https:lenta.ua/x", "is not an http(s) URL"),
        ("https://127.0.0.1/x", "no valid domain name"),
        ("https:///x", "no valid domain name"),
    ],
)
def test_bad_urls_are_named(url: str, problem: str) -> None:
    assert problem in (url_problem(url) or "")
    with pytest.raises(CatalogError, match=r"^catalog line 3: URL"):
        url_host(url, where="catalog line 3", error=CatalogError)


def test_hosts_match_outlet_domains_and_subdomains_only() -> None:
    assert host_in_domains("LENTA.UA", ["lenta.ua"])
    assert host_in_domains("www.lenta.ua", ["lenta.ua"])
    assert host_in_domains("news.lenta.ua", ["lenta.ua"])
    assert not host_in_domains("evillenta.ua", ["lenta.ua"])
    assert not host_in_domains("lenta.ua.evil.com", ["lenta.ua"])
    assert host_in_domains("xn--e1afmkfd.xn--p1ai", ["пример.рф"])


@pytest.mark.parametrize("value", ["https://lenta.ua", "lenta.ua/x", "lenta", "-lenta.ua", "lenta..ua", "1.2.3.4", ""])
def test_what_is_not_a_domain(value: str) -> None:
    assert ascii_domain(value) is None
