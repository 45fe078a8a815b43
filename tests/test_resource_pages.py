"""A page for every resource (issue 12), in both languages, linked from everywhere."""

from __future__ import annotations

import dataclasses
import gzip
import json
import shutil
import subprocess
import sys
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import PROJECT_DIR, serious_axe_violations
from macros.site.resource_pages import ResourcePages, path_uses

SITE_URL = "http://127.0.0.1:8000/"  # what the test build uses (macros/tools/build.py default)
BUDGET = 150 * 1024  # the home page's budget holds for a resource page too


def soup(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def resource_page(site, lang, resource_id):
    return site / ("en" if lang == "en" else "") / "resources" / resource_id / "index.html"


def test_every_resource_has_a_page_in_both_languages_that_leads_to_its_twin(built_site, catalog):
    for resource in catalog.resources.values():
        for lang, other, prefix, other_prefix in (("zh", "en", "", "en/"), ("en", "zh", "en/", "")):
            page = soup(resource_page(built_site, lang, resource.id))
            address = f"{SITE_URL}{prefix}resources/{resource.id}/"
            twin = f"{SITE_URL}{other_prefix}resources/{resource.id}/"
            assert page.html["lang"] == lang
            assert page.find("h1").get_text().strip() == resource.title(lang)
            assert page.title.get_text().startswith(resource.title(lang) + " - ")
            assert page.find("link", rel="canonical")["href"] == address
            alternates = {link["hreflang"]: link["href"] for link in page.find_all("link", rel="alternate", hreflang=True)}
            assert alternates == {lang: address, other: twin, "x-default": f"{SITE_URL}resources/{resource.id}/"}
            switcher = {a["data-lang"]: urljoin(address, a["href"]) for a in page.select("a.dl-lang-link")}
            assert switcher == {lang: address, other: twin}, resource.id
            assert page.find("meta", attrs={"name": "description"})["content"][:40] == resource.summary(lang)[:40]
            # Assets resolve from two folders down.
            for css in page.find_all("link", rel="stylesheet"):
                target = urlsplit(urljoin(address, css["href"])).path.lstrip("/")
                assert (built_site / target).is_file(), css["href"]
    assert not (built_site / "resources" / "__page__").exists() and not (built_site / "en" / "resources" / "__page__").exists()


def test_json_ld_parses_and_names_the_resource(built_site, catalog):
    for resource in catalog.resources.values():
        for lang in ("zh", "en"):
            scripts = soup(resource_page(built_site, lang, resource.id)).find_all("script", type="application/ld+json")
            assert len(scripts) == 1
            data = json.loads(scripts[0].string)
            assert data["@context"] == "https://schema.org"
            assert data["@type"] in {"Course", "Book", "VideoObject", "ScholarlyArticle", "Article", "Blog",
                                     "LearningResource", "Dataset", "TechArticle", "CreativeWork"}
            assert data["name"] == resource.title(lang) and data["url"] == resource.url
            assert data["mainEntityOfPage"].endswith(f"resources/{resource.id}/")


def test_sitemap_lists_every_resource_page_once(built_site, catalog):
    for prefix in ("", "en/"):
        sitemap = (built_site / prefix / "sitemap.xml").read_text(encoding="utf-8")
        assert gzip.decompress((built_site / prefix / "sitemap.xml.gz").read_bytes()).decode("utf-8") == sitemap
        assert "__page__" not in sitemap
        for resource_id in catalog.resources:
            assert sitemap.count(f"<loc>{SITE_URL}{prefix}resources/{resource_id}/</loc>") == 1


def test_a_resource_used_by_two_paths_lists_both_with_their_notes_and_steps(built_site, catalog):
    uses = path_uses(catalog)
    shared = [rid for rid, found in uses.items() if len({u.path.id for u in found}) >= 2 and all(u.step.note for u in found)]
    assert shared, "the catalogue has a resource that two paths use"
    for resource_id in shared[:5]:
        for lang, prefix in (("zh", ""), ("en", "en/")):
            page = soup(resource_page(built_site, lang, resource_id))
            items = page.select(".dl-resource__uses > li")
            assert len(items) == len(uses[resource_id])
            for item, use in zip(items, uses[resource_id]):
                link = item.find("a")
                assert link.get_text() == use.path.title(lang)
                assert link["href"] == f"../../paths/{use.path.id}/#step-{use.step_key}"
                assert use.step.note(lang) in item.get_text()
                # The step is there to land on.
                path_page = soup(built_site / prefix / "paths" / use.path.id / "index.html")
                assert path_page.find(id=f"step-{use.step_key}") is not None


def test_topics_sources_and_related_resources_are_listed(built_site, catalog):
    resource = catalog.resources["cs231n"]
    page = soup(resource_page(built_site, "en", resource.id))
    topics = [a["href"] for a in page.select(".dl-resource__topics a")]
    assert topics == [f"../../topics/{t}/#{resource.anchor}" for t in resource.topics]
    sources = page.select(".dl-resource__sources > li")
    assert [li.get_text() for li in sources] and all(
        any(catalog.sources[s].title("en") in li.get_text() for li in sources) for s in resource.recommended_by)
    related = {a["href"] for a in page.select(".dl-resource__related a")}
    same = [r for r in catalog.by_topic[resource.topics[0]] if r.level == resource.level and r.id != resource.id]
    assert {f"../{r.id}/" for r in same[:8]} <= related


def _render(catalog, lang, resource_id):
    pages = ResourcePages(catalog, lang, SITE_URL)
    resource = catalog.resources[resource_id]
    return {name: BeautifulSoup(html, "html.parser") for name, html in pages.sections(resource).items()}


def test_status_successor_predecessor_and_today_notes_are_shown(catalog):
    old, new = "andrew-ng-machine-learning", "deeplearning-ai-dl-specialization"
    changed = dataclasses.replace(catalog.resources[old], status="superseded", superseded_by=new,
                                  status_note=type(catalog.resources[old].title)(zh="已有新版。", en="A new edition exists."))
    path = next(p for p in catalog.paths.values() if any(s.resource == old for st in p.stages for s in st.steps))
    stages = tuple(
        dataclasses.replace(stage, steps=tuple(
            dataclasses.replace(step, today=type(changed.title)(zh="如今改学新版。", en="Take the new edition today."))
            if step.resource == old else step for step in stage.steps))
        for stage in path.stages)
    catalog = dataclasses.replace(catalog, resources={**catalog.resources, old: changed},
                                  paths={**catalog.paths, path.id: dataclasses.replace(path, stages=stages)})
    for lang in ("zh", "en"):
        sections = _render(catalog, lang, old)
        notice = sections["main"].select_one(".dl-resource__notice")
        assert changed.status_note(lang) in notice.get_text()
        assert notice.find("a")["href"] == f"../{new}/"
        assert changed.status_note(lang) in sections["main"].get_text()
        assert (catalog.ui["resource_page.today"](lang)) in sections["guide"].get_text()
        assert "Take the new edition today." in sections["guide"].get_text() or "如今改学新版。" in sections["guide"].get_text()
        assert sections["related"].select_one(".dl-resource__editions a")["href"] == f"../{new}/"
        successor = _render(catalog, lang, new)
        assert f"../{old}/" in [a["href"] for a in successor["related"].select(".dl-resource__editions a")]


def test_language_switcher_on_a_resource_page_lands_on_its_twin(page, site_url):
    for start, target, expected in (("/resources/cs231n/", "en", "/en/resources/cs231n/"),
                                    ("/en/resources/cs231n/", "zh", "/resources/cs231n/")):
        page.goto(f"{site_url}{start}")
        page.hover(".md-header__option .md-select")
        page.click(f".md-select__link[data-lang={target}]")
        page.wait_for_load_state("load")
        assert urlsplit(page.url).path == expected
        assert page.get_attribute("html", "lang") == target


@pytest.mark.parametrize("prefix, query", [("", "CS231n"), ("en/", "CS231n"), ("", "花书"), ("en/", "Deep Learning Book")])
def test_search_puts_the_resource_page_first(page, site_url, prefix, query):
    from test_browser import search

    page.goto(f"{site_url}/{prefix}")
    hits = search(page, query)
    assert urlsplit(hits[0]).path.startswith(f"/{prefix}resources/"), hits[:5]


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_axe_finds_no_serious_or_critical_violations_on_a_resource_page(page, site_url, prefix):
    page.goto(f"{site_url}/{prefix}resources/cs231n/")
    page.wait_for_load_state("networkidle")
    assert serious_axe_violations(page) == []


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_resource_page_transfer_is_under_budget(page, site_url, built_site, output_dir, prefix):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{site_url}/{prefix}resources/cs231n/")
    page.wait_for_load_state("networkidle")
    counted = [url for url in requested if not url.endswith("search_index.json") and not url.startswith("data:")]
    total = sum(len(gzip.compress((built_site / urlsplit(u).path.lstrip("/")).joinpath(
        "index.html" if urlsplit(u).path.endswith("/") else "").read_bytes(), compresslevel=6)) for u in counted)
    assert total < BUDGET, f"{total} bytes over {len(counted)} requests"
    name = f"resource-{prefix.strip('/') or 'zh'}"
    page.screenshot(path=str(output_dir / f"{name}-desktop.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(output_dir / f"{name}-phone.png"), full_page=True)


# A catalogue of resource_pages.BACKGROUND_FROM resources or more has its pages written by
# a forked process. Today's is smaller, so these builds lower the threshold, each in a
# fresh process (pytest's runs server threads, and then nothing forks).
FORKED_BUILD = """
import sys
from macros.site import resource_pages
from macros.tools.build import main

resource_pages.BACKGROUND_FROM = 1
made = resource_pages.PageWriting.__init__

def init(self, *arguments):
    made(self, *arguments)
    print("forked" if self._process is not None else "inline", file=sys.stderr)

resource_pages.PageWriting.__init__ = init
{change}
sys.exit(main(["--site-dir", sys.argv[1], "--quiet"]))
"""


def forked_build(site, change=""):
    return subprocess.run([sys.executable, "-c", FORKED_BUILD.format(change=change), str(site)],
                          capture_output=True, text=True, cwd=PROJECT_DIR, timeout=300)


def test_pages_written_by_a_second_process_are_the_same_pages(tmp_path, built_site, catalog):
    result = forked_build(tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("forked") == 2, result.stderr  # one process per language
    for resource in catalog.resources.values():
        for lang in ("zh", "en"):
            made = resource_page(tmp_path / "site", lang, resource.id).read_bytes()
            assert made == resource_page(built_site, lang, resource.id).read_bytes(), (lang, resource.id)


@pytest.mark.parametrize("failure, message", [
    ("raise ValueError('no sections for cs231n')", "no sections for cs231n"),
    ("os._exit(3)", "exit code 3"),
])
def test_a_failing_page_process_fails_the_build_and_keeps_the_previous_site(tmp_path, built_site, failure, message):
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    before = {p: p.stat().st_mtime_ns for p in site.rglob("*")}
    change = f"""
import os
sections = resource_pages.ResourcePages.sections

def failing(self, resource):
    if resource.id == "cs231n":
        {failure}
    return sections(self, resource)

resource_pages.ResourcePages.sections = failing
"""
    result = forked_build(site, change)
    assert result.returncode == 1, result.stderr
    assert "writing the resource pages failed" in result.stderr and message in result.stderr
    assert "left as it was" in result.stderr
    assert {p: p.stat().st_mtime_ns for p in site.rglob("*")} == before
    assert not list(tmp_path.glob(".site-build-*"))
