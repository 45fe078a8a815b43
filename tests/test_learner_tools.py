"""Explorer, path progress and planner in headless Chromium, in both languages."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import serious_axe_violations

PATH_ID = "five-months"


def visible_cards(page) -> int:
    return page.locator("#dl-explorer-results article[data-resource]:visible").count()


def wait_for_explorer(page):
    page.wait_for_selector("#dl-explorer[data-ready]")
    page.wait_for_function("document.querySelector('.dl-explorer__count').textContent.length > 0")


# -- Explorer -------------------------------------------------------------------------

def test_explorer_filters_narrow_widen_and_live_in_the_url(page, site_url, catalog):
    total = len(catalog.resources)
    page.goto(f"{site_url}/explorer/")
    wait_for_explorer(page)
    assert visible_cards(page) == total
    assert f"{total} / {total}" in page.inner_text(".dl-explorer__count")

    page.select_option("select[name=topic]", "reinforcement-learning")
    rl = len(catalog.by_topic["reinforcement-learning"])
    assert visible_cards(page) == rl
    page.select_option("select[name=level]", "advanced")
    rl_advanced = sum(r.level == "advanced" for r in catalog.by_topic["reinforcement-learning"])
    assert 0 < visible_cards(page) == rl_advanced < rl
    assert f"{rl_advanced} / {total}" in page.inner_text(".dl-explorer__count")
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"topic": ["reinforcement-learning"], "level": ["advanced"]}

    page.reload()  # the URL restores the filters
    wait_for_explorer(page)
    assert page.input_value("select[name=topic]") == "reinforcement-learning"
    assert page.input_value("select[name=level]") == "advanced"
    assert visible_cards(page) == rl_advanced

    page.select_option("select[name=level]", "")  # widening
    assert visible_cards(page) == rl
    page.click(".dl-explorer__clear")  # one click clears everything
    page.wait_for_function(f"document.querySelectorAll('#dl-explorer-results article:not([hidden])').length === {total}")
    assert urlsplit(page.url).query == ""


@pytest.mark.parametrize("prefix, text", [("", "花书"), ("en/", "花书"), ("", "deep learning book"), ("en/", "深度学习")])
def test_explorer_text_matches_either_script(page, site_url, catalog, prefix, text):
    page.goto(f"{site_url}/{prefix}explorer/")
    wait_for_explorer(page)
    page.fill("input[name=q]", text)
    shown = page.eval_on_selector_all(
        "#dl-explorer-results article:not([hidden])", "els => els.map(e => e.dataset.resource)"
    )
    assert shown and len(shown) < len(catalog.resources)
    if text == "花书":
        assert shown == ["goodfellow-deep-learning-book"]


def test_explorer_available_in_chinese_counts_subtitles_and_copies(page, site_url, catalog):
    expected = {r.id for r in catalog.resources.values() if r.available_in("zh")}
    only_by_copy = {r.id for r in catalog.resources.values() if r.available_in("zh") and "zh" not in r.languages}
    assert only_by_copy, "the catalogue should have English material with Chinese subtitles or copies"
    page.goto(f"{site_url}/explorer/?available=zh")
    wait_for_explorer(page)
    shown = set(page.eval_on_selector_all("#dl-explorer-results article:not([hidden])", "els => els.map(e => e.dataset.resource)"))
    assert shown == expected


def test_explorer_without_javascript_shows_everything(browser, site_url, catalog):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site_url}/en/explorer/")
    assert page.locator("#dl-explorer-results article[data-resource]:visible").count() == len(catalog.resources)
    assert page.locator("#dl-explorer").is_hidden()
    context.close()


def test_resource_permalink_leads_to_the_resource_page_in_both_languages(page, site_url, catalog):
    resource = catalog.resources["cs231n"]
    for prefix in ("", "en/"):
        for start in (f"topics/{resource.topics[0]}/", "explorer/"):
            page.goto(f"{site_url}/{prefix}{start}")
            href = page.get_attribute(f"#r-{resource.id} .dl-card__permalink", "href")
            page.click(f"#r-{resource.id} .dl-card__permalink")
            page.wait_for_load_state("load")
            assert urlsplit(page.url).path == f"/{prefix}resources/{resource.id}/", href
            assert page.inner_text("article h1").strip() == resource.title("en" if prefix else "zh")


# -- Path progress --------------------------------------------------------------------

def path_steps(catalog):
    learning_path = catalog.paths[PATH_ID]
    return [f"{i + 1}-{step.resource}" for i, stage in enumerate(learning_path.stages) for step in stage.steps]


def tick(page, key):
    page.check(f"[id='step-{key}']")


def ticked(page) -> list[str]:
    return page.eval_on_selector_all(".dl-step__check:checked", "els => els.map(e => e.closest('.dl-step').dataset.step)")


def open_path(page, site_url, prefix=""):
    page.goto(f"{site_url}/{prefix}paths/{PATH_ID}/")
    page.wait_for_selector("#dl-progress[data-ready]")


def test_ticks_persist_after_reload_and_across_languages(page, site_url, catalog):
    steps = path_steps(catalog)
    open_path(page, site_url)
    assert ticked(page) == []
    tick(page, steps[0])
    tick(page, steps[-1])
    status = page.inner_text(".dl-progress__status")
    assert f"2 / {len(steps)}" in status
    learning_path = catalog.paths[PATH_ID]
    first, last = learning_path.stages[0], learning_path.stages[-1]
    left = learning_path.weeks - first.weeks / len(first.steps) - last.weeks / len(last.steps)
    assert f"{round(left, 1):g}" in status
    assert page.get_attribute(".dl-progress__bar", "value") == str(round(100 * 2 / len(steps)))

    page.reload()
    page.wait_for_selector("#dl-progress[data-ready]")
    assert ticked(page) == [steps[0], steps[-1]]

    page.hover(".md-header__option .md-select")
    page.click(".md-select__link[data-lang=en]")
    page.wait_for_selector("#dl-progress[data-ready]")
    assert urlsplit(page.url).path == f"/en/paths/{PATH_ID}/"
    assert ticked(page) == [steps[0], steps[-1]]
    assert f"2 of {len(steps)} steps done" in page.inner_text(".dl-progress__status")


def test_export_then_import_round_trips(browser, site_url, catalog, tmp_path):
    steps = path_steps(catalog)
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    open_path(page, site_url)
    for key in steps[:3]:
        tick(page, key)
    with page.expect_download() as download_info:
        page.click("[data-action=export]")
    exported = tmp_path / "progress.json"
    download_info.value.save_as(exported)
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert data["format"] == "dl-guide-progress" and data["paths"] == {PATH_ID: steps[:3]}
    context.close()

    other_device = browser.new_context()
    page = other_device.new_page()
    open_path(page, site_url, "en/")
    assert ticked(page) == []
    page.set_input_files(".dl-progress__file", str(exported))
    page.wait_for_selector(".dl-progress__message--ok")
    assert ticked(page) == steps[:3]
    page.reload()
    page.wait_for_selector("#dl-progress[data-ready]")
    assert ticked(page) == steps[:3]
    other_device.close()


@pytest.mark.parametrize("content, reason", [
    ("{not json", "not valid JSON"),
    ('{"format": "something-else", "version": 1, "paths": {}}', "not a progress file"),
    ('{"format": "dl-guide-progress", "version": 1, "paths": {"five-months": ["9-nope"]}}', "does not have"),
    ('{"format": "dl-guide-progress", "version": 99, "paths": {}}', "version"),
])
def test_corrupt_or_foreign_import_is_refused_and_progress_kept(page, site_url, catalog, tmp_path, content, reason):
    steps = path_steps(catalog)
    open_path(page, site_url, "en/")
    tick(page, steps[1])
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    page.set_input_files(".dl-progress__file", str(bad))
    page.wait_for_selector(".dl-progress__message--error")
    message = page.inner_text(".dl-progress__message")
    assert "Not imported" in message and reason in message and "unchanged" in message
    assert ticked(page) == [steps[1]]
    page.reload()
    page.wait_for_selector("#dl-progress[data-ready]")
    assert ticked(page) == [steps[1]]


# -- Planner --------------------------------------------------------------------------

@pytest.mark.parametrize("weeks, hours, goal, order, expected", [
    (4, 10, "understand", "any", "one-month-crash-course"),
    (9, 10, "understand", "theory-first", "two-month-crash-course"),
    (24, 10, "computer-vision", "theory-first", "five-months"),
    (60, 10, "reinforcement-learning", "any", "self-study-phases"),
    (25, 10, "understand", "code-first", "nnfs-from-scratch"),
    (35, 10, "research", "theory-first", "four-steps"),
    (12, 20, "hands-on", "theory-first", "five-months"),
])
def test_planner_recommends_the_expected_path(page, site_url, catalog, weeks, hours, goal, order, expected):
    for prefix in ("", "en/"):
        page.goto(f"{site_url}/{prefix}planner/")
        page.wait_for_selector("#dl-planner[data-ready]")
        page.fill("input[name=weeks]", str(weeks))
        page.fill("input[name=hours]", str(hours))
        page.select_option("select[name=goal]", goal)
        page.check(f"input[name=order][value={order}]")
        page.click("#dl-planner button[type=submit]")
        page.wait_for_selector("#dl-planner-result:not([hidden])")
        assert page.get_attribute("#dl-planner-result", "data-recommended") == expected
        lang = "en" if prefix else "zh"
        assert page.inner_text(".dl-planner__link") == catalog.paths[expected].title(lang)
        assert page.locator(".dl-planner__reasons li").count() >= 2
        page.click(".dl-planner__start")
        page.wait_for_load_state("load")
        assert urlsplit(page.url).path == f"/{prefix}paths/{expected}/"


def test_planner_lists_two_other_paths_with_their_time_and_order(page, site_url, catalog):
    marks = []
    for prefix, lang in (("", "zh"), ("en/", "en")):
        for weeks, goal, order in ((12, "understand", "any"), (50, "nlp", "theory-first")):
            page.goto(f"{site_url}/{prefix}planner/")
            page.wait_for_selector("#dl-planner[data-ready]")
            page.fill("input[name=weeks]", str(weeks))
            page.select_option("select[name=goal]", goal)
            page.check(f"input[name=order][value={order}]")
            page.click("#dl-planner button[type=submit]")
            page.wait_for_selector("#dl-planner-result:not([hidden])")
            shown = [page.get_attribute("#dl-planner-result", "data-recommended")]
            items = page.locator(".dl-planner__alternatives li")
            assert items.count() == 2
            for index in range(2):
                item = items.nth(index)
                href = item.locator("a").get_attribute("href")
                assert href == f"../paths/{href.split('/')[-2]}/"
                learning_path = catalog.paths[href.split("/")[-2]]
                assert learning_path.id not in shown
                shown.append(learning_path.id)
                text = item.inner_text()
                assert text.startswith(learning_path.title(lang) + " · ")
                assert f" · {round(learning_path.weeks, 1):g} {catalog.ui['path.weeks'](lang)} · " in text
                assert catalog.ui[f"approach.{learning_path.approach}"](lang) in text
                marked = catalog.ui["editors.path_ours_short"](lang) in text
                assert marked == learning_path.is_ours, text
                marks.append(marked)
    assert True in marks and False in marks  # both kinds of line were shown

def test_planner_refuses_empty_time(page, site_url):
    page.goto(f"{site_url}/en/planner/")
    page.wait_for_selector("#dl-planner[data-ready]")
    page.fill("input[name=weeks]", "0")
    page.click("#dl-planner button[type=submit]")
    assert "greater than 0" in page.inner_text(".dl-planner__error")
    assert page.locator("#dl-planner-result").is_hidden()


# -- Keyboard and accessibility ------------------------------------------------------

def focus_order(page, stop_selector: str, limit: int = 200) -> list[str]:
    """Tab from the top of the page until `stop_selector` has focus; names of what got focus."""
    reached = []
    page.locator("body").click(position={"x": 5, "y": 300})
    for _ in range(limit):
        page.keyboard.press("Tab")
        name = page.evaluate("""() => { const e = document.activeElement;
            return e.name || e.dataset.action || e.id || e.className || e.tagName; }""")
        reached.append(name)
        if page.evaluate(f"document.activeElement.matches({json.dumps(stop_selector)})"):
            return reached
    raise AssertionError(f"never reached {stop_selector}: {reached[-20:]}")


def test_keyboard_reaches_and_operates_every_explorer_control(page, site_url, catalog):
    page.goto(f"{site_url}/explorer/")
    wait_for_explorer(page)
    reached = focus_order(page, ".dl-explorer__clear")
    for control in ("q", "topic", "type", "level", "cost", "available"):
        assert control in reached
    page.focus("select[name=level]")  # change a filter with the keys alone
    page.keyboard.press("ArrowDown")
    assert page.input_value("select[name=level]") == "beginner"
    beginners = sum(r.level == "beginner" for r in catalog.resources.values())
    assert visible_cards(page) == beginners
    page.focus(".dl-explorer__clear")
    page.keyboard.press("Enter")
    page.wait_for_function(f"document.querySelectorAll('#dl-explorer-results article:not([hidden])').length === {len(catalog.resources)}")


def test_keyboard_ticks_steps_and_reaches_progress_buttons(page, site_url, catalog):
    steps = path_steps(catalog)
    open_path(page, site_url)
    reached = focus_order(page, f"[id='step-{steps[0]}']")
    assert "export" in reached and "import" in reached
    page.keyboard.press("Space")
    assert ticked(page) == [steps[0]]


def test_keyboard_runs_the_planner(page, site_url):
    page.goto(f"{site_url}/en/planner/")
    page.wait_for_selector("#dl-planner[data-ready]")
    reached = focus_order(page, "#dl-planner button[type=submit]")
    assert {"weeks", "hours", "goal", "order"} <= set(reached)
    page.keyboard.press("Enter")
    page.wait_for_selector("#dl-planner-result:not([hidden])")
    assert page.evaluate("document.activeElement.classList.contains('dl-planner__link')")


@pytest.mark.parametrize("prefix", ["", "en/"])
@pytest.mark.parametrize("path", ["explorer/", f"paths/{PATH_ID}/", "planner/"])
def test_axe_finds_no_serious_or_critical_violations(page, site_url, prefix, path):
    page.goto(f"{site_url}/{prefix}{path}")
    page.wait_for_load_state("networkidle")
    if path == "planner/":
        page.click("#dl-planner button[type=submit]")  # scan the result too
        page.wait_for_selector("#dl-planner-result:not([hidden])")
    assert serious_axe_violations(page) == []


def test_learner_tool_screenshots(page, site_url, output_dir):
    for prefix, lang in (("", "zh"), ("en/", "en")):
        page.goto(f"{site_url}/{prefix}explorer/?topic=computer-vision")
        wait_for_explorer(page)
        page.screenshot(path=str(output_dir / f"explorer-{lang}.png"))
        open_path(page, site_url, prefix)
        page.screenshot(path=str(output_dir / f"path-{lang}.png"))
        page.goto(f"{site_url}/{prefix}planner/")
        page.wait_for_selector("#dl-planner[data-ready]")
        page.click("#dl-planner button[type=submit]")
        page.wait_for_selector("#dl-planner-result:not([hidden])")
        page.screenshot(path=str(output_dir / f"planner-{lang}.png"), full_page=True)
