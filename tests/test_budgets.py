"""Budgets held by tests (not timings): page weight, SEO basics on every page."""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

HOME_BUDGET = 150 * 1024  # bytes transferred, gzip as a static host sends it
SITE_URL = "http://127.0.0.1:8000/"  # what the test build uses (macros/tools/build.py default)


def html_pages(site: Path):
    return sorted(site.rglob("*.html"))


def gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6))


def local_file(site: Path, url: str) -> Path:
    path = urlsplit(url).path
    target = site / path.lstrip("/")
    return target / "index.html" if path.endswith("/") else target


def test_every_page_has_lang_hreflang_canonical_and_its_own_description(built_site):
    default = {}
    for lang, root in (("zh", built_site), ("en", built_site / "en")):
        default[lang] = BeautifulSoup((root / "404.html").read_text(encoding="utf-8"), "html.parser").find(
            "meta", attrs={"name": "description"})["content"]
    pages = html_pages(built_site)
    assert len(pages) > 60
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        lang = "en" if page.relative_to(built_site).parts[0] == "en" else "zh"
        assert soup.html["lang"] == lang, page
        alternates = {link["hreflang"]: link["href"] for link in soup.find_all("link", rel="alternate", hreflang=True)}
        if page.name == "404.html":  # served for any missing address: no alternates of its own
            continue
        assert set(alternates) == {"zh", "en", "x-default"}, page
        for href in alternates.values():
            assert href.startswith(SITE_URL) and local_file(built_site, href).is_file(), (page, href)
        description = soup.find("meta", attrs={"name": "description"})
        assert description and description["content"].strip(), page
        assert description["content"] != default[lang], f"{page} has only the site-wide description"
        assert soup.find("link", rel="canonical")["href"].startswith(SITE_URL), page


def test_every_link_on_every_page_can_be_followed(built_site):
    # Search engines follow href (Lighthouse's "Links are crawlable"): an <a> without one,
    # with an empty one or with javascript: is a dead end, unless it is only an anchor
    # (an id), plays another role or sits in a <template>. The path pages' hidden download
    # link was one.
    for page in html_pages(built_site):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for link in soup.find_all("a"):
            if link.get("role") or (link.get("id") and not link.has_attr("href")) or link.find_parent("template"):
                continue  # a role of its own, a named anchor, or inert until a script fills it in
            href = (link.get("href") or "").strip()
            assert href and not href.lower().startswith("javascript:"), (page.relative_to(built_site), str(link)[:120])


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_sitemap_lists_every_page(built_site, prefix):
    sitemap = (built_site / prefix / "sitemap.xml").read_text(encoding="utf-8")
    listed = set(re.findall(r"<loc>(.*?)</loc>", sitemap))
    root = built_site / prefix
    pages = {p for p in root.rglob("index.html") if prefix or p.relative_to(root).parts[0] != "en"}
    assert len(listed) == len(pages)
    for url in listed:
        assert local_file(built_site, url).is_file(), url


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_home_page_transfer_is_under_budget(page, site_url, built_site, output_dir, prefix):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{site_url}/{prefix}")
    page.wait_for_load_state("networkidle")
    counted = [url for url in requested if not url.startswith("data:")]
    total = sum(gzip_size(local_file(built_site, url)) for url in counted)
    (output_dir / f"home-weight-{prefix.strip('/') or 'zh'}.txt").write_text(
        f"{total} bytes gzip in {len(counted)} requests\n" + "\n".join(counted) + "\n", encoding="utf-8")
    assert total < HOME_BUDGET, f"home page: {total} bytes over {len(counted)} requests"


def test_nothing_of_search_but_its_settings_loads_before_search_is_opened(browser, site_url):
    """A page that is only read fetches the worker and its few hundred bytes of settings;
    opening the search box loads the vocabulary and this language's Pagefind bundle
    (while the reader types), never the other language's, not even in another open tab."""
    context = browser.new_context()
    requested = []
    context.on("request", lambda request: requested.append(urlsplit(request.url).path))  # includes the worker
    other_tab = context.new_page()
    other_tab.goto(f"{site_url}/")
    page = context.new_page()
    page.goto(f"{site_url}/en/")
    page.wait_for_load_state("networkidle")
    other_tab.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    assert "/en/search/search_index.json" in requested and "/search/search_index.json" in requested
    assert not any("pagefind" in path or "vocabulary" in path for path in requested), requested
    page.click("input[data-md-component=search-query]")
    page.wait_for_timeout(1500)
    assert "/en/pagefind/pagefind.js" in requested and "/search/vocabulary.txt" in requested
    assert not any(path.startswith("/pagefind/") for path in requested), "the Chinese tab loaded its search too"
    page.fill("input[data-md-component=search-query]", "python")
    page.press("input[data-md-component=search-query]", "End")
    page.wait_for_selector(".md-search-result__link", timeout=15000)
    assert not any(path.startswith("/pagefind/") for path in requested)
    context.close()


def test_search_settings_stay_small(built_site):
    # Fetched on every page load (Material's search UI asks for it at once).
    for prefix in ("", "en/"):
        assert gzip_size(built_site / prefix / "search" / "search_index.json") < 1024
