"""Turn catalogue objects into page content through the Jinja templates in templates/.

Data text is always escaped: autoescape for HTML, `md` for the few places where data
ends up in Markdown (headings, so that they appear in the table of contents).
"""

from __future__ import annotations

import datetime
import email.utils
import json
import posixpath
import re
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from macros.catalogue.model import EDITORS, STATUSES, Catalog, Resource, step_key
from macros.catalogue.schema_doc import resource_fields
from macros.catalogue.validate import schema_enum
from macros.languages import BY_CODE, CODES
from macros.site.shared_assets import shared_url

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
DEFERRED_MARK = "<!--dl-deferred:{}-->"

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def md_escape(text: str) -> Markup:
    """Text safe inside a Markdown heading: HTML-escaped, Markdown punctuation backslashed.

    Quotes stay as they are: harmless in element text, while an entity such as &#39;
    would reach the table of contents and the heading's anchor as literal text."""
    html = str(escape(text)).replace("&#39;", "'").replace("&#34;", '"')
    return Markup(_MARKDOWN_SPECIAL.sub(r"\\\1", html))


def rfc822(day: str) -> str:
    """An ISO date as RSS dates are written: "Mon, 23 Nov 2026 00:00:00 +0000"."""
    return email.utils.format_datetime(datetime.datetime.fromisoformat(day).replace(tzinfo=datetime.timezone.utc))


def md_cell(text: str) -> Markup:
    """Text safe inside a Markdown table cell (CONTRIBUTING.md): pipes and tags escaped."""
    return Markup(str(text).replace("|", "\\|").replace("<", "&lt;"))


@lru_cache(maxsize=1)
def template_environment() -> Environment:
    # Compiled once per process: both language builds share the compiled templates.
    # auto_reload off: a build never sees a template change (make serve rebuilds in a
    # fresh process), and checking each template's file on every use was a stat per card
    # and a third of a card's time.
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        auto_reload=False,
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["md"] = md_escape
    env.filters["md_cell"] = md_cell
    env.filters["rfc822"] = rfc822
    return env


# Stand for the page-dependent parts of a card rendered for reuse: the link from the page
# to resources/, and the level of its heading (3 on topic pages, 2 in the explorer).
# Private-use characters: data files may not contain one (macros/catalogue/yamlfile.py).
RESOURCES_LINK = "\ue000resources\ue000"
HEADING_LEVEL = "\ue001"


class Renderer:
    """Renders one language of the site; `page_url` is the page being built."""

    def __init__(self, catalog: Catalog, lang: str):
        self.catalog = catalog
        self.lang = lang
        self.page_url = ""
        # HTML kept out of Markdown: page url -> blocks. Python-Markdown would parse every
        # card again as a raw HTML block (a third of a build at 10x the catalogue) only to
        # pass it through unchanged; the page gets a comment instead, swapped back by
        # restore_deferred (the guide plugin's on_post_page), after search has read the page.
        self.deferred: dict[str, list[str]] = {}
        # Each card, rendered once per language with stand-ins for its page-dependent parts
        # (the link to resources/ and its heading level), is reused on every page that lists
        # it: a resource is on its topics' pages, the explorer and more, 2.4 times on average.
        self._cards: dict[str, str] = {}
        self._resources_link: str | None = None  # the stand-in while a card is rendered for reuse
        self._resources_href: tuple[str | None, str] = (None, "")  # (page url, its link to resources/)

    # -- helpers the templates call -------------------------------------------------
    def ui(self, key: str) -> str:
        try:
            return self.catalog.ui[key](self.lang)
        except KeyError:
            raise KeyError(f"data/ui.yml has no string '{key}'") from None

    def href(self, target: str) -> str:
        """A link from the current page to a site URL such as 'topics/python/' (assets/: the
        root language's copy, shared by every language: macros/site/shared_assets.py)."""
        start = self.page_url if self.page_url.endswith("/") else posixpath.dirname(self.page_url)
        relative = posixpath.relpath(shared_url(target, BY_CODE[self.lang]) or ".", start or ".")
        return relative + "/" if target.endswith("/") or not target else relative

    def resource_href(self, resource: Resource) -> str:
        """A resource's own page (macros/resource_pages.py), the same address in both languages."""
        if self._resources_link is not None:
            return f"{self._resources_link}{resource.id}/"
        return self.href(f"resources/{resource.id}/")

    def card_href(self, resource_id: str) -> str:
        """Where the card of the resource with this id lives (successor links use it)."""
        return self.resource_href(self.catalog.resources[resource_id])

    def permalink(self, resource: Resource) -> str:
        """A card's permalink: the resource's own page."""
        return self.resource_href(resource)

    def weeks(self, weeks: float) -> str:
        unit = self.ui("path.week_one") if weeks == 1 else self.ui("path.weeks")
        return f"{weeks:g} {unit}"

    def defer(self, html: str) -> Markup:
        """Keep a block of finished HTML out of Markdown; returns its placeholder."""
        blocks = self.deferred.setdefault(self.page_url, [])
        blocks.append(str(html))
        return Markup(DEFERRED_MARK.format(len(blocks) - 1))

    def cards(self, resources, heading_level: int = 3) -> Markup:
        # The block replaces its placeholder exactly, without the newline _render adds.
        return self.defer(self._render("cards.html", resources=resources, heading_level=heading_level).rstrip("\n"))

    def step_key(self, stage_index: int, resource_id: str) -> str:
        return step_key(stage_index, resource_id)

    def strings(self, *prefixes: str) -> Markup:
        """The UI strings a page script needs, as JSON in a <script> element."""
        chosen = {key: text(self.lang) for key, text in self.catalog.ui.items() if key.startswith(prefixes)}
        # JSON inside <script> is not entity-decoded: escape "<" instead of HTML-escaping.
        payload = json.dumps(chosen, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")
        return self._render("strings.html", strings_json=Markup(payload))

    def _render(self, template: str, **context) -> Markup:
        page = template_environment().get_template(template).render(
            r=self, lang=self.lang, catalog=self.catalog, **context
        )
        # Markup: a card rendered inside another template must not be escaped twice.
        return Markup(page.strip() + "\n")

    # -- page content -------------------------------------------------------------
    def resource_card(self, resource: Resource, heading_level: int = 3) -> str:
        if self.page_url.startswith("resources/"):  # links between resource pages: rendered in place
            return self._render("card.html", resource=resource, heading_level=heading_level)
        card = self._cards.get(resource.id)
        if card is None:
            self._resources_link = RESOURCES_LINK
            try:
                card = self._cards[resource.id] = self._render("card.html", resource=resource,
                                                               heading_level=Markup(HEADING_LEVEL))
            finally:
                self._resources_link = None
        if self._resources_href[0] != self.page_url:
            self._resources_href = (self.page_url, self.href("resources/"))
        return Markup(card.replace(RESOURCES_LINK, self._resources_href[1]).replace(HEADING_LEVEL, str(int(heading_level))))

    def topic_page(self, topic_id: str) -> str:
        topic = self.catalog.topics[topic_id]
        resources = self.catalog.by_topic.get(topic_id, [])
        levels = [(level, [r for r in resources if r.level == level]) for level in ("beginner", "intermediate", "advanced")]
        return self._render("topic.md", topic=topic, levels=[(l, rs) for l, rs in levels if rs], count=len(resources))

    def topic_list(self) -> str:
        return self._render("topic_list.md", topics=self.catalog.topics.values())

    def path_page(self, path_id: str) -> str:
        learning_path = self.catalog.paths[path_id]
        return self._render("path.md", path=learning_path)

    def path_table(self) -> str:
        return self._render("path_table.md", paths=self.catalog.paths.values())

    def source_list(self) -> str:
        return self._render("source_list.md", sources=self.catalog.sources.values())

    def explorer(self) -> str:
        topic_order = {topic_id: index for index, topic_id in enumerate(self.catalog.topics)}
        levels = {"beginner": 0, "intermediate": 1, "advanced": 2}
        resources = sorted(
            self.catalog.resources.values(),
            key=lambda r: (topic_order.get(r.topics[0], 99), levels[r.level], r.title(self.lang).lower()),
        )
        used = {r.type for r in resources}
        filters = [  # (query-string name, label, [(value, label)]); types in schema order, only those used
            ("topic", self.ui("explorer.topic"), [(t.id, t.title(self.lang)) for t in self.catalog.topics.values()]),
            ("type", self.ui("explorer.type"), [(t, self.ui(f"type.{t}")) for t in schema_enum("resource", "type") if t in used]),
            ("level", self.ui("explorer.level"), [(v, self.ui(f"level.{v}")) for v in schema_enum("resource", "level")]),
            ("cost", self.ui("explorer.cost"), [(v, self.ui(f"cost.{v}")) for v in schema_enum("resource", "cost")]),
            ("available", self.ui("explorer.available"), [(v, self.ui(f"explorer.available_{v}")) for v in CODES]),
        ]
        return self._render("explorer.html", resources=resources, filters=filters)

    def planner(self) -> str:
        return self._render("planner.html", goals=schema_enum("path", "goals"))

    def field_table(self, markdown: bool = False) -> str:
        """The resource fields from the schema: HTML for the site, Markdown for CONTRIBUTING."""
        template = "field_table.md" if markdown else "field_table.html"
        return self._render(template, fields=resource_fields(self.lang))

    def link_health(self, today: str) -> str:
        """The maintainers' view of link status and review ages, from data/link-status.yml."""
        catalog = self.catalog
        known = {url: entry for url, entry in sorted(catalog.link_status.items()) if entry["resource"] in catalog.resources}
        sections = [
            (self.ui("links.dead_heading"), [(u, e) for u, e in known.items() if e.get("dead")]),
            (self.ui("links.broken_heading"), [(u, e) for u, e in known.items() if e["status"] == "broken" and not e.get("dead")]),
            (self.ui("links.redirected_heading"), [(u, e) for u, e in known.items() if e["status"] == "redirected"]),
        ]
        cutoff = (datetime.date.fromisoformat(today) - datetime.timedelta(days=catalog.policy.review_max_age_days)).isoformat()
        stale = sorted((r for r in catalog.resources.values() if r.reviewed and r.reviewed < cutoff), key=lambda r: (r.reviewed, r.id))
        unreviewed = sorted((r for r in catalog.resources.values() if not r.reviewed), key=lambda r: r.title(self.lang).lower())
        return self._render("link_health.md", sections=sections, stale=stale, unreviewed=unreviewed, policy=catalog.policy)

    def recent(self) -> str:
        return self._render("recent.md", resources=self.catalog.newest())

    def stats(self) -> str:
        return self._render("stats.html", counts=self.status_counts(), guides=self.guides())

    # -- editions and successors (issue 10) -------------------------------------------
    def status_counts(self) -> dict[str, int]:
        counts = {status: 0 for status in STATUSES}
        for resource in self.catalog.resources.values():
            counts[resource.status] += 1
        return counts

    def guides(self) -> list:
        """The published guides, without this site's own `editors` source."""
        return [source for source in self.catalog.sources.values() if source.kind == "guide"]

    def editors_additions(self) -> list[Resource]:
        return [r for r in self.catalog.resources.values() if EDITORS in r.recommended_by]

    def since(self) -> str:
        """What changed since the source guides were written: additions, successors, the rest."""
        topic_order = {topic_id: index for index, topic_id in enumerate(self.catalog.topics)}
        by_title = lambda r: r.title(self.lang).lower()  # noqa: E731
        added = sorted(self.editors_additions(), key=lambda r: (topic_order.get(r.topics[0], 99), by_title(r)))
        groups = []  # (topic, resources), in topic order, by each resource's main topic
        for resource in added:
            if not groups or groups[-1][0].id != resource.topics[0]:
                groups.append((self.catalog.topics[resource.topics[0]], []))
            groups[-1][1].append(resource)
        resources = sorted(self.catalog.resources.values(), key=by_title)
        return self._render(
            "since.md",
            counts=self.status_counts(),
            added=added,
            groups=groups,
            superseded=[r for r in resources if r.status == "superseded"],
            archived=[r for r in resources if r.status == "archived"],
            gone=[r for r in resources if r.status == "gone"],
        )

    def path_cards(self) -> str:
        return self._render("path_cards.html", paths=self.catalog.paths.values())

    def restore_deferred(self, page_url: str, html: str) -> str:
        """Put the deferred blocks of one page back in place of their placeholders."""
        blocks = self.deferred.pop(page_url, [])
        html = str(html)  # a Markup here would escape the blocks it receives
        for index, block in enumerate(blocks):
            mark = DEFERRED_MARK.format(index)
            if mark not in html:
                raise RuntimeError(f"page {page_url or '/'} lost a deferred block")
            html = html.replace(mark, block, 1)
        return html
