"""A resource with HTML, Markdown and template injection in every text field is shown
as text in a real browser and runs no script, on every page that renders it."""

from __future__ import annotations

import functools
import subprocess
import sys
import threading
from http.server import ThreadingHTTPServer

import pytest

from conftest import CheckerFriendlyHandler, copy_project

PAYLOAD = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">**bold** [link](javascript:window.__pwned=3) {{ 7*7 }}'

SHORT = '<script>window.__pwned=8</script>**b** {{ 6*7 }}'  # titles are limited to 120 characters

HOSTILE = f"""# yaml-language-server: $schema=../schema/resource.schema.json
id: hostile-entry
title:
  zh: '恶意标题 {SHORT}'
  en: 'Hostile title {SHORT}'
summary:
  zh: '这是一段恶意简介，用来测试转义。{PAYLOAD}'
  en: 'A hostile summary used to test escaping. {PAYLOAD}'
url: https://example.org/hostile/?q=<script>
type: course
topics: [dl-fundamentals]
level: beginner
cost: free
languages: [en]
provider: '<svg onload="window.__pwned=4">Evil Corp'
effort: {{zh: '<b onmouseover="window.__pwned=5">一周</b>', en: '<b onmouseover="window.__pwned=5">a week</b>'}}
mirrors:
  - url: https://example.org/hostile-copy/
    kind: mirror
    languages: [zh]
    label: {{zh: '<iframe src="javascript:window.__pwned=6">镜像', en: '<iframe src="javascript:window.__pwned=6">copy'}}
aliases: ['<script>window.__pwned=7</script>', '_underline_ *star*']
status: current
recommended_by: [zhihu-five-months]
added: 2026-11-22
reviewed: 2026-11-22
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("hostile") / "project")
    (project / "data" / "resources" / "hostile-entry.yml").write_text(HOSTILE, encoding="utf-8")
    site = project / "site"
    # The copy's own build script builds the copy's data.
    result = subprocess.run([sys.executable, "-m", "macros.tools.build", "--quiet"], capture_output=True, text=True, cwd=project)
    assert result.returncode == 0, result.stderr[-3000:]
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(CheckerFriendlyHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def assert_shown_as_text(text: str) -> None:
    """The hostile entry's summary, provider and aliases appear verbatim, as text."""
    assert "<script>window.__pwned=1</script>" in text
    assert "**bold** [link](javascript:window.__pwned=3) {{ 7*7 }}" in text
    assert '<svg onload="window.__pwned=4">Evil Corp' in text
    assert "_underline_ *star*" in text


@pytest.mark.parametrize("path", ["topics/dl-fundamentals/", "en/topics/dl-fundamentals/", "explorer/", "en/explorer/"])
def test_injected_text_is_shown_as_text_and_runs_nothing(page, hostile_site, path):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{hostile_site}/{path}")
    page.wait_for_load_state("networkidle")
    card = page.locator("article[data-resource=hostile-entry]")
    card.hover()
    text = card.inner_text()
    assert_shown_as_text(text)
    assert "<script>window.__pwned=8</script>**b** {{ 6*7 }}" in page.locator("article[data-resource=hostile-entry] h2, article[data-resource=hostile-entry] h3").inner_text()
    assert card.locator("script, img, svg, iframe, b, strong, em").count() == 0
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_injected_text_on_the_resource_page_is_text_and_json_ld_stays_in_its_script(page, hostile_site, prefix):
    import json

    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{hostile_site}/{prefix}resources/hostile-entry/")
    page.wait_for_load_state("networkidle")
    main = page.locator(".dl-resource[data-resource=hostile-entry]")
    main.hover()
    text = main.inner_text()
    assert_shown_as_text(text)
    assert "<script>window.__pwned=8</script>**b** {{ 6*7 }}" in page.inner_text("article h1")
    assert "<script>window.__pwned=8</script>" in page.title()
    assert "window.__pwned=" in page.get_attribute("meta[name=description]", "content")
    assert page.locator("article img, article svg, article iframe, article b, article strong").count() == 0
    # One script in the content, the JSON-LD, and it parses back to the hostile title.
    scripts = page.locator("article script")
    assert scripts.count() == 1
    data = json.loads(scripts.first.text_content())
    assert "<script>window.__pwned=8</script>**b** {{ 6*7 }}" in data["name"]
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
