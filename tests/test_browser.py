"""Real-browser checks in headless Debian chromium: the language switcher, and that no
page asks anything of a server other than the site's own. Search: tests/test_search.py."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

PAGE_PATHS = ["", "topics/", "topics/calculus/", "paths/", "paths/five-months/", "explorer/", "planner/",
              "recent/", "open-data/", "link-health/", "about/", "contribute/"]


def search(page, query: str) -> list[str]:
    page.click("label.md-header__button[for=__search]") if page.is_visible("label.md-header__button[for=__search]") else None
    box = page.locator("input[data-md-component=search-query]")
    box.click()
    box.fill(query)
    box.press("End")
    page.wait_for_selector(".md-search-result__item", timeout=15000)
    page.wait_for_timeout(300)
    return page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.href)")


def path_of(url: str) -> str:
    return urlsplit(url).path


@pytest.mark.parametrize("start, expected", [
    ("/topics/calculus/", "/en/topics/calculus/"),
    ("/en/topics/calculus/", "/topics/calculus/"),
    ("/paths/", "/en/paths/"),
    ("/en/", "/"),
])
def test_language_switcher_keeps_the_page(page, site_url, start, expected):
    page.goto(f"{site_url}{start}")
    page.hover(".md-header__option .md-select")
    target_lang = "en" if not start.startswith("/en/") else "zh"
    page.click(f".md-select__link[data-lang={target_lang}]")
    page.wait_for_load_state("load")
    assert path_of(page.url) == expected
    assert page.get_attribute("html", "lang") == target_lang


def test_no_request_leaves_the_site(page, site_url):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    for prefix in ("", "en/"):
        for path in PAGE_PATHS + ["no-such-page/"]:
            page.goto(f"{site_url}/{prefix}{path}")
            page.wait_for_load_state("networkidle")
        search(page, "python")
    foreign = [url for url in requests if not url.startswith(site_url) and not url.startswith("data:")]
    assert len(requests) > 20
    assert foreign == []


def test_404_page_in_each_language(page, site_url):
    response = page.goto(f"{site_url}/no-such-page/")
    assert response.status == 404 and page.get_attribute("html", "lang") == "zh"
    assert "页面不存在" in page.inner_text("article")
    response = page.goto(f"{site_url}/en/no-such-page/")
    assert response.status == 404 and page.get_attribute("html", "lang") == "en"
    assert "page not found" in page.inner_text("article")


def test_home_page_screenshots(page, site_url, output_dir):
    for prefix, name, heading in (("", "home-zh.png", "深度学习自学指南"), ("en/", "home-en.png", "Deep Learning Self-Study Guide")):
        page.goto(f"{site_url}/{prefix}")
        assert page.inner_text("article h1").rstrip("¶").strip() == heading
        assert page.locator(".dl-path-card").count() >= 1 and page.locator(".dl-topic").count() >= 10
        page.screenshot(path=str(output_dir / name), full_page=True)
        assert (output_dir / name).stat().st_size > 20_000
