"""The real site builds strictly in both languages; a broken data file changes nothing."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest

from conftest import copy_project
from macros.site import search


def pages(site, prefix=""):
    root = site / prefix if prefix else site
    found = [p for p in root.rglob("index.html") if prefix or "en" not in p.relative_to(site).parts[:1]]
    return found


def test_both_languages_have_the_same_pages(built_site):
    zh = {p.relative_to(built_site) for p in pages(built_site)}
    en = {p.relative_to(built_site / "en") for p in pages(built_site, "en")}
    assert zh == en
    assert len(zh) >= 5
    assert (built_site / "404.html").is_file() and (built_site / "en" / "404.html").is_file()


def test_every_page_declares_its_language(built_site):
    for page in pages(built_site):
        assert '<html lang="zh"' in page.read_text(encoding="utf-8"), page
    for page in pages(built_site, "en"):
        assert '<html lang="en"' in page.read_text(encoding="utf-8"), page


def test_each_language_has_its_own_search_index(built_site, catalog):
    import json

    for prefix, lang in (("", "zh"), ("en/", "en")):
        entry = json.loads((built_site / prefix / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert list(entry["languages"]) == [lang]
        # every page and every resource is a record of its own
        assert entry["languages"][lang]["page_count"] >= len(catalog.resources) + len(catalog.topics)
    # Chinese field terms stay whole words: the vocabulary the index and the queries are cut with.
    assert {"深度学习", "反向传播"} <= set((built_site / search.VOCABULARY).read_text(encoding="utf-8").split("\n"))


def test_pages_request_no_third_party_assets(built_site):
    # Tags that make the browser fetch something; canonical/alternate links do not.
    external = re.compile(
        r'<(?:script|img|iframe|source|video|audio)[^>]+src="(?:https?:)?//'
        r'|<link(?![^>]*rel="(?:canonical|alternate|prev|next)")[^>]+href="(?:https?:)?//',
        re.I,
    )
    for page in list(built_site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        assert not external.search(html), f"{page}: {external.search(html).group(0)}"
        assert "fonts.googleapis" not in html and "googletagmanager" not in html


def run_build(site_dir, project):
    return subprocess.run(
        [sys.executable, "-m", "macros.tools.build", "--site-dir", str(site_dir), "--quiet"],
        capture_output=True,
        text=True,
        cwd=project,
    )


@pytest.fixture
def full_copy(tmp_path):
    return copy_project(tmp_path / "project")


def test_broken_data_fails_build_and_keeps_previous_site(full_copy, tmp_path, built_site):
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    before = {p: p.stat().st_mtime_ns for p in site.rglob("*")}
    resource = sorted((full_copy / "data" / "resources").glob("*.yml"))[0]
    resource.write_text(resource.read_text(encoding="utf-8").replace("\nlevel: ", "\nlevel: wizard\nx_level: "), encoding="utf-8")
    result = run_build(site, full_copy)
    assert result.returncode != 0
    assert f"data/resources/{resource.name}" in result.stderr and "[level]" in result.stderr and "'wizard'" in result.stderr
    assert "left as it was" in result.stderr
    assert {p: p.stat().st_mtime_ns for p in site.rglob("*")} == before


def test_macro_error_in_a_page_fails_build(full_copy, tmp_path):
    page = full_copy / "docs" / "en" / "topics" / "python.md"
    page.write_text("{{ topic_page('no-such-topic') }}\n", encoding="utf-8")
    result = run_build(tmp_path / "site", full_copy)
    assert result.returncode != 0
    assert "no-such-topic" in result.stderr + result.stdout
    assert not (tmp_path / "site").exists()
