"""The planner when its catalogue cannot be loaded: a clear message in the page's
language (from data/ui.yml), a link to the comparison table, no dead button."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("lang, prefix", [("zh", ""), ("en", "en/")])
def test_planner_says_when_the_catalogue_fails_to_load(page, site_url, catalog, lang, prefix):
    page.route("**/assets/catalog.json", lambda route: route.abort())
    page.goto(f"{site_url}/{prefix}planner/")
    page.wait_for_selector("#dl-planner[data-failed]")
    message = page.inner_text(".dl-planner__error")
    assert catalog.ui["planner.load_failed"](lang) in message
    assert catalog.ui["nav.paths_compare"](lang) in message
    assert page.get_attribute(".dl-planner__error a", "href").endswith("paths/")
    assert page.is_disabled("#dl-planner button[type=submit]")
    assert page.get_attribute(".dl-planner__error", "role") == "alert"


def test_planner_treats_a_server_error_like_a_network_error(page, site_url, catalog):
    page.route("**/assets/catalog.json", lambda route: route.fulfill(status=500, body="error"))
    page.goto(f"{site_url}/en/planner/")
    page.wait_for_selector("#dl-planner[data-failed]")
    assert catalog.ui["planner.load_failed"]("en") in page.inner_text(".dl-planner__error")
