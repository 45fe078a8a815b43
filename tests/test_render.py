"""Rendering: data text is escaped, links are relative, both languages differ."""

from __future__ import annotations

import dataclasses

from markupsafe import escape

from macros.catalogue.model import Text
from macros.site.render import Renderer, md_escape


def hostile(resource):
    return dataclasses.replace(
        resource,
        title=Text(zh='<script>alert("t")</script>**粗体**', en='<img src=x onerror=alert(1)> [link](javascript:x)'),
        summary=Text(zh="<script>alert('s')</script> {{ ui('x') }}", en="<b>bold</b> & <i>"),
        provider="<svg onload=alert(1)>",
        aliases=("<em>alias</em>",),
    )


def test_card_escapes_html_in_every_text_field(catalog):
    resource = hostile(next(iter(catalog.resources.values())))
    for lang in ("zh", "en"):
        html = Renderer(catalog, lang).resource_card(resource)
        assert "<script" not in html and "<img" not in html and "<svg" not in html and "<em>alias" not in html
        assert "&lt;script&gt;" in html and "&lt;img src=x" in html and "&lt;svg onload" in html
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;i&gt;" in Renderer(catalog, "en").resource_card(resource)


def test_card_has_no_blank_line_that_would_end_the_html_block(catalog):
    for resource in catalog.resources.values():
        html = Renderer(catalog, "zh").resource_card(resource)
        assert "\n\n" not in html, resource.id


def test_a_reused_card_is_the_card_first_rendered_for_that_page_and_heading_level(catalog):
    # Cards are rendered once per language and reused with their heading level and their
    # link to resources/ filled in for each page (explorer: h2, topic pages: h3): for
    # every resource, a card reused on another page at the other level must be exactly
    # the card a fresh renderer makes there.
    for lang in ("zh", "en"):
        reused = Renderer(catalog, lang)
        for resource in catalog.resources.values():
            reused.page_url = "explorer/"
            reused.resource_card(resource, 2)
            for page_url, level in (("topics/python/", 3), ("", 2), ("paths/five-months/", 3)):
                fresh = Renderer(catalog, lang)
                reused.page_url = fresh.page_url = page_url
                card = reused.resource_card(resource, level)
                assert card == fresh.resource_card(resource, level), (lang, level, resource.id)
                assert card.count(f"<h{level} ") == 1 and f"</h{level}>" in card and not {"\ue000", "\ue001"} & set(card)
                assert f'href="{fresh.href(f"resources/{resource.id}/")}"' in card


def test_markdown_heading_text_is_escaped():
    assert str(md_escape("**x** <b>")) == r"\*\*x\*\* &lt;b&gt;"


def test_card_shows_title_and_summary_in_page_language(catalog):
    resource = next(r for r in catalog.resources.values() if r.title.zh != r.title.en)
    zh = Renderer(catalog, "zh").resource_card(resource)
    en = Renderer(catalog, "en").resource_card(resource)
    assert str(escape(resource.summary.zh)) in zh and str(escape(resource.summary.en)) not in zh
    assert str(escape(resource.summary.en)) in en and str(escape(resource.summary.zh)) not in en


def test_links_are_relative_to_the_page(catalog):
    renderer = Renderer(catalog, "zh")
    renderer.page_url = "paths/some-path/"
    assert renderer.href("topics/python/") == "../../topics/python/"
    renderer.page_url = ""
    assert renderer.href("topics/python/") == "topics/python/"
    renderer.page_url = "404.html"
    assert renderer.href("") == "./"


def test_topic_page_groups_resources_by_level(catalog):
    topic_id = next(t for t, rs in catalog.by_topic.items() if len({r.level for r in rs}) >= 2)
    renderer = Renderer(catalog, "en")
    renderer.page_url = f"topics/{topic_id}/"
    page = renderer.restore_deferred(renderer.page_url, renderer.topic_page(topic_id))
    headings = [line for line in page.splitlines() if line.startswith("## ")]
    assert headings == [h for h in ["## Beginner", "## Intermediate", "## Advanced"] if h in headings]
    assert len(headings) >= 2
    for resource in catalog.by_topic[topic_id]:
        assert f'id="{resource.anchor}"' in page
