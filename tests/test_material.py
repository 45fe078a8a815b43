"""Material for MkDocs through its supported means (issue 13): the one bundle change left
(macros/site/material.py), one copy of the theme's assets for both languages
(macros/site/shared_assets.py), the 404 pages, and the site deployed under a sub-path."""

from __future__ import annotations

import functools
import gzip
import importlib.resources
import posixpath
import re
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from macros.site import material
from macros.tools.build import build_site
from macros.tools.serve import SiteHandler

PRIMARY = "rgb(64, 81, 181)"  # Material's indigo: the header is this colour only when its stylesheets loaded
ASSET_REFERENCE = re.compile(r'(?:href|src|data-catalog)="([^"#?]*assets/[^"#?]*)"')


def installed_bundle() -> str:
    folder = importlib.resources.files("material") / "templates" / "assets" / "javascripts"
    (bundle,) = [entry for entry in folder.iterdir() if re.fullmatch(r"bundle\.\w+\.min\.js", entry.name)]
    return bundle.read_text(encoding="utf-8")


# -- the bundle change ----------------------------------------------------------------

def test_the_bundle_change_is_keyed_to_materials_source_and_applies_once(tmp_path):
    original = installed_bundle()
    folder = tmp_path / "assets" / "javascripts"
    folder.mkdir(parents=True)
    (folder / "bundle.0.min.js").write_text(original, encoding="utf-8")
    material.patch_bundle(tmp_path)
    patched = (folder / "bundle.0.min.js").read_text(encoding="utf-8")
    for change in material.BUNDLE_CHANGES:
        assert original.count(change.original) == 1 and patched.count(change.replacement) == 1
    assert len(patched) - len(original) == sum(len(c.replacement) - len(c.original) for c in material.BUNDLE_CHANGES)


def test_another_material_version_stops_the_build_with_what_to_review(monkeypatch, tmp_path):
    monkeypatch.setattr(material, "version", lambda name: "9.9.0")
    with pytest.raises(material.MaterialChanged) as stopped:
        material.patch_bundle(tmp_path)
    message = str(stopped.value)
    assert "9.9.0" in message and material.REVIEWED_VERSION in message
    for change in material.BUNDLE_CHANGES:
        assert change.review in message
    for item in material.OTHER_REVIEWS:
        assert item in message


def test_a_changed_bundle_names_the_change_that_no_longer_applies(tmp_path):
    folder = tmp_path / "assets" / "javascripts"
    folder.mkdir(parents=True)
    (folder / "bundle.0.min.js").write_text(installed_bundle().replace('"link[rel=alternate]"', '"link[rel~=alternate]"'),
                                            encoding="utf-8")
    with pytest.raises(material.MaterialChanged, match="bundle change 1") as stopped:
        material.patch_bundle(tmp_path)
    assert material.BUNDLE_CHANGES[0].review in str(stopped.value)


# -- a server like GitHub Pages, that remembers what it was asked ---------------------------

class RecordingHandler(SiteHandler):
    """Caches as GitHub Pages does (max-age=600), serves the site under `mount` and
    records every path asked for."""

    mount = "/"
    asked: list[str]

    def translate_path(self, path):
        if not path.startswith(self.mount):
            return str(Path(self.directory) / "no-such-file")
        return super().translate_path("/" + path[len(self.mount):])

    def send_error(self, code, message=None, explain=None):
        self.path = "/" + self.path[len(self.mount):] if self.path.startswith(self.mount) else self.path
        return super().send_error(code, message, explain)

    def end_headers(self):
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def log_request(self, code="-", size="-"):
        self.asked.append(urlsplit(self.path).path)


@pytest.fixture
def recording_server():
    servers = []

    def start(site: Path, mount: str = "/"):
        asked: list[str] = []
        handler = type("Handler", (RecordingHandler,), {"mount": mount, "asked": asked})
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}{mount}", asked

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def failed_responses(page) -> list[str]:
    failed = []
    page.on("response", lambda response: failed.append(f"{response.status} {response.url}")
            if response.status >= 400 and response.request.resource_type != "document" else None)
    page.on("requestfailed", lambda request: failed.append(f"failed {request.url}"))
    return failed


# -- no sitemap look-ups ----------------------------------------------------------------

def test_no_page_looks_for_a_sitemap_next_to_its_hreflang_links(page, site_url):
    # The hreflang links are absolute (site_url): without the change, Material's requests
    # for <link>/sitemap.xml go to that host, whichever server the page came from.
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    failed = failed_responses(page)
    for path in ("topics/calculus/", "en/topics/calculus/", "en/resources/cs231n/", ""):
        page.goto(f"{site_url}/{path}")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)
    assert page.locator("link[rel=alternate][hreflang]").count() == 3  # the links are there ...
    assert [url for url in requested if "sitemap" in url] == []  # ... and nothing looks beside them
    assert failed == []


# -- one copy of the theme's assets -----------------------------------------------------

def test_the_english_site_has_no_copy_of_the_theme_assets(built_site):
    assert (built_site / "assets" / "javascripts").is_dir() and (built_site / "assets" / "catalog.json").is_file()
    assert not (built_site / "en" / "assets").exists()
    copies = [p for p in (built_site / "assets").rglob("*") if (built_site / "en" / p.relative_to(built_site)).exists()]
    assert copies == []


def test_every_asset_an_english_page_names_is_the_roots_copy(built_site):
    checked = 0
    for page in (built_site / "en").rglob("*.html"):
        where = page.relative_to(built_site).as_posix()
        for address in ASSET_REFERENCE.findall(page.read_text(encoding="utf-8")):
            if address.startswith("/"):  # the 404 page: absolute, from site_url's path
                target = address.lstrip("/")
            else:
                target = posixpath.normpath(posixpath.join(posixpath.dirname(where), address))
            assert target.startswith("assets/") and (built_site / target).is_file(), (where, address)
            checked += 1
    assert checked > 500


def test_a_language_switch_fetches_no_stylesheet_or_script_again(page, recording_server, built_site):
    base, asked = recording_server(built_site)
    page.goto(base + "topics/calculus/")
    page.wait_for_load_state("networkidle")
    first = set(asked)
    asked.clear()
    page.hover(".md-header__option .md-select")
    page.click(".md-select__link[data-lang=en]")
    page.wait_for_load_state("networkidle")
    assert page.get_attribute("html", "lang") == "en"
    again = [path for path in asked if path in first or "/assets/" in path]
    assert again == [], f"fetched again after switching language: {again}"
    # What a language switch costs: the page and its search settings, nothing else.
    assert sorted(asked) == ["/en/search/search_index.json", "/en/topics/calculus/"]
    sent = sum(len(gzip.compress((built_site / p.lstrip("/") / ("index.html" if p.endswith("/") else "")).read_bytes()))
               for p in asked)
    assert sent < 20 * 1024


# -- 404 pages and a sub-path -------------------------------------------------------------

def assert_styled_404(page, url: str, lang: str):
    failed = failed_responses(page)
    response = page.goto(url)
    page.wait_for_load_state("networkidle")
    assert response.status in (200, 404) and page.get_attribute("html", "lang") == lang, url
    assert page.eval_on_selector(".md-header", "e => getComputedStyle(e).backgroundColor") == PRIMARY, url
    assert failed == [], url


def test_404_pages_are_styled_in_both_languages(page, site_url):
    assert_styled_404(page, f"{site_url}/no/such/page/", "zh")
    assert_styled_404(page, f"{site_url}/en/no/such/page/", "en")


@pytest.fixture(scope="session")
def sub_path_site(tmp_path_factory) -> Path:
    """The site built for https://example.org/guide/ style hosting (SITE_URL with a path)."""
    site = tmp_path_factory.mktemp("sub-path") / "site"
    build_site(site, quiet=True, site_url="http://127.0.0.1:8000/guide/")
    return site


def test_the_site_works_under_a_sub_path(page, recording_server, sub_path_site):
    base, asked = recording_server(sub_path_site, mount="/guide/")
    assert_styled_404(page, base + "404.html", "zh")
    assert_styled_404(page, base + "en/404.html", "en")
    failed = failed_responses(page)
    page.goto(base + "topics/calculus/")
    page.wait_for_load_state("networkidle")
    asked.clear()
    page.hover(".md-header__option .md-select")
    page.click(".md-select__link[data-lang=en]")
    page.wait_for_load_state("networkidle")
    assert urlsplit(page.url).path == "/guide/en/topics/calculus/"
    assert not [path for path in asked if "/assets/" in path]
    page.click("input[data-md-component=search-query]")
    page.fill("input[data-md-component=search-query]", "python")
    page.press("input[data-md-component=search-query]", "End")
    page.wait_for_selector(".md-search-result__link", timeout=15000)
    assert "/guide/en/pagefind/pagefind.js" in asked and "/guide/search/vocabulary.txt" in asked
    assert all(urlsplit(href).path.startswith("/guide/en/")
               for href in page.eval_on_selector_all(".md-search-result__link", "els => els.map(e => e.href)"))
    assert failed == []


# -- search results -------------------------------------------------------------------------

@pytest.mark.parametrize("prefix, query", [("", "CS231n"), ("en/", "CS231n")])
def test_a_resource_result_shows_its_text(page, site_url, prefix, query):
    # Material shows a result's text when its address has no #: resources have pages of their own.
    page.goto(f"{site_url}/{prefix}")
    page.click("input[data-md-component=search-query]")
    page.fill("input[data-md-component=search-query]", query)
    page.press("input[data-md-component=search-query]", "End")
    page.wait_for_selector(".md-search-result__link", timeout=15000)
    first = page.locator(".md-search-result__item").first
    assert "/resources/cs231n/" in first.locator("a").first.get_attribute("href")
    text = first.locator("article").first.evaluate("a => a.textContent.replace(a.querySelector('h1').textContent, '')")
    assert len(text.strip()) > 20, text


def test_dependabot_bumps_material_alone():
    import yaml

    from conftest import PROJECT_DIR

    config = yaml.safe_load((PROJECT_DIR / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    (pip,) = [update for update in config["updates"] if update["package-ecosystem"] == "pip"]
    assert pip["groups"]["material"]["patterns"] == ["mkdocs-material", "mkdocs-material-extensions"]
    others = [group for name, group in pip["groups"].items() if name != "material"]
    assert all("mkdocs-material" in group.get("exclude-patterns", []) for group in others)
