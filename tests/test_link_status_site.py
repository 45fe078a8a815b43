"""What the site shows from link status, freshness and the open-data exports."""

from __future__ import annotations

import csv
import dataclasses
import datetime
import email.utils
import io
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import copy_project
from macros.catalogue.model import Text
from macros.languages import LANGUAGES
from macros.site.export import rss_feed

DEAD, MOVED, STALE, NEWEST = "cs231n", "distill-pub", "mit-6s191", "nnfs-book"


@pytest.fixture(scope="module")
def status_site(tmp_path_factory):
    """A copy of the project after three broken runs for one resource, one redirect,
    one resource not reviewed for years and one newly added resource."""
    project = copy_project(tmp_path_factory.mktemp("status") / "project")
    resources = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in (project / "data" / "resources").glob("*.yml")}
    links = {
        resources[DEAD]["url"]: {"resource": DEAD, "status": "broken", "detail": "404 Not Found", "last_checked": "2026-11-20",
                                 "last_good": "2026-10-30", "failures": 3, "dead": True},
        resources[MOVED]["url"]: {"resource": MOVED, "status": "redirected", "detail": "200 OK", "final_url": "https://distill.pub/about/",
                                  "last_checked": "2026-11-20", "last_good": "2026-11-20", "failures": 0, "dead": False},
    }
    status = "# yaml-language-server: $schema=schema/link-status.schema.json\n" + yaml.safe_dump({"checked": "2026-11-20", "links": links})
    (project / "data" / "link-status.yml").write_text(status, encoding="utf-8")
    # Newer than every resource in the data, whatever dates it holds.
    newest = (max(datetime.date.fromisoformat(str(r["added"])) for r in resources.values()) + datetime.timedelta(days=1)).isoformat()
    for resource_id, field, value in ((STALE, "reviewed", "2020-01-15"), (NEWEST, "added", newest)):
        path = project / "data" / "resources" / f"{resource_id}.yml"
        text = path.read_text(encoding="utf-8")
        if not re.search(rf"^{field}: ", text, flags=re.M):  # `reviewed` is optional: no review yet
            text += f"{field}: 2026-11-22\n"
        path.write_text(re.sub(rf"^{field}: .*$", f"{field}: {value}", text, flags=re.M), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "macros.tools.build", "--quiet"], capture_output=True, text=True, cwd=project)
    assert result.returncode == 0, result.stderr[-3000:]
    return project / "site"


def soup(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.mark.parametrize("prefix, words", [("", "链接已失效"), ("en", "Dead link")])
def test_dead_resource_shows_notice_and_archive_link(status_site, catalog, prefix, words):
    page = soup(status_site / prefix / "topics" / catalog.resources[DEAD].topics[0] / "index.html")
    card = page.find("h3", id=f"r-{DEAD}").find_parent("article")
    notice = card.find(class_="dl-card__dead")
    assert words in notice.get_text() and "3" in notice.get_text()
    assert notice.find("a")["href"] == "https://web.archive.org/web/2/" + catalog.resources[DEAD].url
    healthy = page.find_all(class_="dl-card__dead")
    assert len(healthy) == 1  # only the dead one


@pytest.mark.parametrize("prefix", ["", "en"])
def test_link_health_page_lists_dead_redirected_and_stale(status_site, prefix):
    text = soup(status_site / prefix / "link-health" / "index.html").find("article").get_text(" ")
    assert "2026-11-20" in text
    assert "https://distill.pub/about/" in text
    assert "2020-01-15" in text
    assert "www.coursera.org" in text  # blocked hosts with their reasons


@pytest.mark.parametrize("prefix", ["", "en"])
def test_recent_page_and_feed_put_the_newest_first(status_site, catalog, prefix):
    cards = soup(status_site / prefix / "recent" / "index.html").select("article[data-resource]")
    assert cards[0]["data-resource"] == NEWEST
    assert len(cards) == 20
    feed = ET.fromstring((status_site / prefix / "feed.xml").read_text(encoding="utf-8"))
    items = feed.findall("./channel/item")
    assert len(items) == 20
    lang = "en" if prefix else "zh"
    assert items[0].findtext("title") == catalog.resources[NEWEST].title(lang)
    assert items[0].findtext("link").endswith(f"{'/en' if prefix else ''}/resources/{NEWEST}/")



@pytest.mark.parametrize("language", LANGUAGES, ids=lambda language: language.code)
def test_feed_is_rss_2_that_keeps_markup_characters_as_text(catalog, language):
    """Titles and summaries with <, &, and both quotes come back from an XML parser as
    written: the feed is well-formed RSS 2.0, whatever the data says."""
    newest = catalog.newest()[0]
    title = Text(zh='<b>"猫" & \'狗\'</b> 入门', en='<b>"Cats" & \'dogs\'</b> for beginners')
    summary = Text(zh="<script>alert(1)</script> 又 & 及", en="<script>alert(1)</script> & more")
    changed = dataclasses.replace(catalog, resources={
        **catalog.resources, newest.id: dataclasses.replace(newest, title=title, summary=summary)})
    site_url = "https://example.org/" + language.prefix
    text = rss_feed(changed, language.code, site_url, "2026-11-23")
    assert "<script>" not in text and "<b>" not in text
    feed = ET.fromstring(text)
    assert feed.tag == "rss" and feed.get("version") == "2.0"
    channel = feed.find("channel")
    assert channel.findtext("title") == catalog.ui["recent.feed_title"](language.code)
    assert channel.findtext("link") == site_url
    assert channel.findtext("language") == language.locale
    assert email.utils.parsedate_to_datetime(channel.findtext("lastBuildDate")).date().isoformat() == "2026-11-23"
    items = channel.findall("item")
    assert len(items) == len(catalog.newest())
    item = next(i for i in items if i.findtext("guid") == f"dl-guide:{newest.id}")
    assert item.findtext("title") == title(language.code)
    assert item.findtext("description") == summary(language.code)
    assert item.findtext("link") == f"{site_url}resources/{newest.id}/"
    assert item.find("guid").get("isPermaLink") == "false"
    assert email.utils.parsedate_to_datetime(item.findtext("pubDate")).date().isoformat() == newest.added

# -- Open data agrees with the pages (real site) -------------------------------------------

def test_api_resources_match_the_pages(built_site, catalog):
    data = json.loads((built_site / "api" / "resources.json").read_text(encoding="utf-8"))
    assert data["schema_version"] == 1 and data["built"] and data["licence"] == "CC BY 4.0"
    assert data["count"] == len(catalog.resources) == len(data["resources"])
    for record in data["resources"]:
        for lang, prefix in (("zh", ""), ("en", "en/")):
            assert record["page"][lang] == f"{prefix}resources/{record['id']}/"
            page = soup(built_site / record["page"][lang] / "index.html")
            assert page.find("h1").get_text().strip() == record["title"][lang], (record["id"], lang)
            # A gone resource's page offers its archived copy instead of the dead address.
            expected = record["archive_url"] if record["status"] == "gone" else record["url"]
            assert page.select_one(".dl-resource__open a")["href"] == expected, record["id"]


def test_api_csv_matches_the_json(built_site):
    data = json.loads((built_site / "api" / "resources.json").read_text(encoding="utf-8"))
    rows = list(csv.DictReader(io.StringIO((built_site / "api" / "resources.csv").read_text(encoding="utf-8"))))
    assert [row["id"] for row in rows] == [r["id"] for r in data["resources"]]
    for row, record in zip(rows, data["resources"]):
        assert row["title_zh"] == record["title"]["zh"] and row["summary_en"] == record["summary"]["en"]
        assert row["topics"].split(";") == record["topics"] and row["url"] == record["url"]


def test_api_paths_and_topics_match_the_pages(built_site, catalog):
    paths = json.loads((built_site / "api" / "paths.json").read_text(encoding="utf-8"))["paths"]
    assert [p["id"] for p in paths] == list(catalog.paths)
    for path in paths:
        page = soup(built_site / "en" / "paths" / path["id"] / "index.html")
        on_page = [[li["data-resource"] for li in stage.select("li.dl-step")] for stage in page.select(".dl-stage")]
        assert on_page == [stage["resources"] for stage in path["stages"]]
    topics = json.loads((built_site / "api" / "topics.json").read_text(encoding="utf-8"))["topics"]
    for topic in topics:
        page = soup(built_site / "topics" / topic["id"] / "index.html")
        assert sorted(h["id"][2:] for h in page.select("h3.dl-card__title")) == sorted(topic["resources"])


@pytest.mark.parametrize("prefix", ["", "en"])
def test_open_data_page_documents_the_exports_and_licence(built_site, prefix):
    text = soup(built_site / prefix / "open-data" / "index.html").find("article").get_text(" ")
    for name in ("/api/resources.json", "/api/resources.csv", "/api/topics.json", "/api/paths.json", "CC BY 4.0"):
        assert name in text
