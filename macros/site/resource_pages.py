"""A page for every resource (issue 12): /resources/<id>/ and /en/resources/<id>/.

MkDocs renders one page per language through Material: a shell at resources/__page__/
(generated in on_files, never published) whose title, description and content are
marks. Every resource page is that shell with the marks filled in straight from the
Jinja templates (macros/site/templates/resource_page.html) and its address put in place of the
shell's (canonical, hreflang, language switcher): the header, tabs, search box, palette and
footer are the theme's own, and a resource page costs a template render and a file write
instead of a Markdown and theme render with the full navigation (about 70 ms each).

The guide plugin (macros/site/plugin.py) calls, in build order: shell_file and
PageWriting (on_files: a large catalogue's pages are written by a process of their own,
waited for after search: BACKGROUND_FROM), PageWriting.shell_rendered (on_post_page of
the shell) and finish (on_post_build: drop the shell);
sitemap_entries (on_env) lists the resource pages in sitemap.xml (overrides/sitemap.xml). `resource_pages: false` in the plugin's options builds
the site without them (make bench's baseline only).
"""

from __future__ import annotations

import html
import json
import multiprocessing
import os
import re
import shutil
import traceback
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from macros.forking import second_process_helps
from macros.catalogue.model import Catalog, LearningPath, Resource, Stage, Step, step_key
from macros.site.page_macros import short_description
from macros.site.render import Renderer, template_environment

SHELL_ID = "__page__"  # not a valid resource id (ids are [a-z0-9-]), so no clash
SHELL_SRC = f"resources/{SHELL_ID}.md"
SHELL_URL = f"resources/{SHELL_ID}/"
TITLE_MARK = "DLRESOURCETITLEMARK"
DESCRIPTION_MARK = "DLRESOURCEDESCRIPTIONMARK"
SLOT = "<!--dl-resource:{}-->"
SECTIONS = ("main", "guide", "related")  # the page content, in order; guide and related follow headings
SECTION_IDS = {"guide": "in-the-guide", "related": "related"}
RELATED_LIMIT = 8  # per topic: a 100x catalogue has hundreds of resources per topic and level

SCHEMA_TYPES = {  # resource type -> schema.org type
    "course": "Course", "book": "Book", "video": "VideoObject", "paper": "ScholarlyArticle",
    "article": "Article", "blog": "Blog", "tutorial": "LearningResource", "cheatsheet": "LearningResource",
    "dataset": "Dataset", "documentation": "TechArticle",
}


def page_url(resource_id: str) -> str:
    """A resource page's address, relative to a language's root."""
    return f"resources/{resource_id}/"


@dataclass(frozen=True)
class PathUse:
    """One step of a learning path that uses a resource."""

    path: LearningPath
    stage_number: int  # 1-based, as the path page shows it
    stage: Stage
    step: Step
    step_key: str


def path_uses(catalog: Catalog) -> dict[str, list[PathUse]]:
    """Resource id -> every step that uses it, in path order (one pass over the paths)."""
    uses: dict[str, list[PathUse]] = {}
    for learning_path in catalog.paths.values():
        for index, stage in enumerate(learning_path.stages):
            for step in stage.steps:
                uses.setdefault(step.resource, []).append(
                    PathUse(learning_path, index + 1, stage, step, step_key(index, step.resource)))
    return uses


def predecessors(catalog: Catalog) -> dict[str, list[Resource]]:
    """Resource id -> the resources it supersedes."""
    found: dict[str, list[Resource]] = {}
    for resource in sorted(catalog.resources.values(), key=lambda r: r.id):
        if resource.superseded_by:
            found.setdefault(resource.superseded_by, []).append(resource)
    return found


def script_json(data) -> Markup:
    """JSON safe inside <script>: not entity-decoded there, so escape <, > and & instead."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


class ResourcePages(Renderer):
    """Renders the content of every resource page of one language."""

    def __init__(self, catalog: Catalog, lang: str, site_url: str):
        super().__init__(catalog, lang)
        self.page_url = SHELL_URL  # every resource page is at the same depth: links are the same
        self.site_url = site_url.rstrip("/") + "/"
        self.uses = path_uses(catalog)
        self.predecessors = predecessors(catalog)
        self.topic_level: dict[tuple[str, str], list[Resource]] = {}
        for topic_id, resources in catalog.by_topic.items():
            for resource in resources:
                self.topic_level.setdefault((topic_id, resource.level), []).append(resource)
        self.strings = {key: text(lang) for key, text in catalog.ui.items()}
        self.template = template_environment().get_template("resource_page.html").make_module(
            {"r": self, "lang": lang, "catalog": catalog, "u": self.strings, "root": self.href("")})

        # Links to other resource pages, made once: a 100x catalogue lists each many times.
        self.links = {r.id: Markup(self.template.resource_link(r)) for r in catalog.resources.values()}
        self.items = {r.id: Markup(self.template.resource_item(r)) for r in catalog.resources.values()}

    # -- helpers the template calls -------------------------------------------------
    def language_names(self, codes) -> str:
        return self.strings["separator.words"].join(self.strings[f"language.{code}"] for code in codes)

    def link_to(self, resource: Resource) -> Markup:
        return self.links[resource.id]

    def list_items(self, resources) -> Markup:
        return Markup("\n").join(self.items[r.id] for r in resources)

    def original_title(self, resource: Resource) -> str | None:
        """The title in the resource's own language, when it is not the reader's."""
        other = "en" if self.lang == "zh" else "zh"
        if resource.title(other) == resource.title(self.lang) or resource.languages[0] == self.lang:
            return None
        return resource.title(other)

    def related(self, resource: Resource) -> list[tuple[str, list[Resource], int]]:
        """(topic id, up to RELATED_LIMIT others of the same level not listed yet, how many
        resources the topic has when that is more than shown here, else 0)."""
        shown = {resource.id}
        groups = []
        for topic_id in resource.topics:
            group = self.topic_level.get((topic_id, resource.level), ())
            others = []
            for other in group:  # stops early: a 100x topic level has hundreds
                if other.id not in shown:
                    others.append(other)
                    if len(others) == RELATED_LIMIT:
                        break
            shown.update(other.id for other in others)
            if others:
                more = len(group) - 1 > len(others)
                groups.append((topic_id, others, len(self.catalog.by_topic[topic_id]) if more else 0))
        return groups

    def sources(self, resource: Resource) -> list[tuple[object, list[PathUse]]]:
        """Each source guide that recommends it, with the steps of that guide's paths."""
        uses = self.uses.get(resource.id, [])
        return [(self.catalog.sources[s], [u for u in uses if s in u.path.sources]) for s in resource.recommended_by]

    def json_ld(self, resource: Resource) -> Markup:
        lang = self.lang
        data = {
            "@context": "https://schema.org",
            "@type": SCHEMA_TYPES.get(resource.type, "CreativeWork"),
            "name": resource.title(lang),
            "description": resource.summary(lang),
            "url": resource.url,
            "mainEntityOfPage": self.site_url + page_url(resource.id),
            "inLanguage": list(resource.languages),
            "learningResourceType": resource.type,
            "educationalLevel": resource.level,
            "isAccessibleForFree": resource.cost != "paid",
            "provider": {"@type": "Organization", "name": resource.provider},
        }
        names = [t for t in (resource.title.zh, resource.title.en) if t != data["name"]] + list(resource.aliases)
        if names:
            data["alternateName"] = names
        if resource.year:
            data["datePublished"] = str(resource.year)
        if resource.mirrors:
            data["workTranslation" if all(m.kind == "translation" for m in resource.mirrors) else "subjectOf"] = [
                {"@type": "CreativeWork", "url": m.url, "name": m.label(lang), "inLanguage": list(m.languages)}
                for m in resource.mirrors
            ]
        return script_json(data)

    # -- one page -------------------------------------------------------------------
    def sections(self, resource: Resource) -> dict[str, str]:
        module = self.template
        return {
            "main": str(module.main(resource)),
            "guide": str(module.guide(resource)),
            "related": str(module.related(resource)),
        }


def shell_markdown(catalog: Catalog, lang: str) -> str:
    """The one page per language that goes through MkDocs and Material (templates/resource_shell.md)."""
    return template_environment().get_template("resource_shell.md").render(
        title_mark=TITLE_MARK, description_mark=DESCRIPTION_MARK,
        slots={key: Markup(SLOT.format(key)) for key in SECTIONS},
        headings=[(catalog.ui[f"resource_page.{key}_heading"](lang), anchor, key) for key, anchor in SECTION_IDS.items()],
    )


class Shell:
    """The rendered shell, cut at its marks once; filled in per resource by joining."""

    MARKS = re.compile("(" + "|".join(re.escape(m) for m in (TITLE_MARK, DESCRIPTION_MARK, SHELL_URL)) + "|"
                       + re.escape(SLOT.format("@")).replace("@", "(?:" + "|".join(SECTIONS) + ")") + ")")

    def __init__(self, output: str):
        self.parts = self.MARKS.split(output)
        found = set(self.parts[1::2])
        needed = {TITLE_MARK, DESCRIPTION_MARK, SHELL_URL} | {SLOT.format(s) for s in SECTIONS}
        if not needed <= found:
            raise RuntimeError(f"the resource page shell lost {sorted(needed - found)}: review macros/resource_pages.py")

    def fill(self, resource_id: str, title: str, description: str, sections: dict[str, str]) -> str:
        values = {TITLE_MARK: html.escape(title), DESCRIPTION_MARK: html.escape(description),
                  SHELL_URL: page_url(resource_id), **{SLOT.format(k): v for k, v in sections.items()}}
        parts = self.parts[:]
        parts[1::2] = [values[mark] for mark in parts[1::2]]
        return "".join(parts)


# -- called from the guide plugin's events (macros/site/plugin.py) -----------------------

def shell_file(config, catalog: Catalog, lang: str):
    """on_files: the one page per language that goes through MkDocs and Material."""
    from mkdocs.structure.files import File

    return File.generated(config, SHELL_SRC, content=shell_markdown(catalog, lang))


def is_shell(page) -> bool:
    return page.file.src_uri == SHELL_SRC


# Rendering and writing one resource page takes about 0.4 ms here, most of it making its
# folder and file (13,300 pages per language at 100x: 8-11 s). From this many resources on,
# a language's pages are written by a second process, forked before MkDocs renders any
# page: it renders every page's content and makes the folders while this one renders the
# other pages, then fills in the shell it is sent and writes the files while this one goes
# on with the other language and search. The build machines have two cores and MkDocs
# keeps to one. Below it, forking gains nothing.
BACKGROUND_FROM = 1000


class PageWriting:
    """The resource pages of one language. Made in on_files; shell_rendered(output) in the
    shell's on_post_page; wait() says how many pages were written (after the build, or
    later: macros/tools/build.py waits after search); stop() if the build fails."""

    def __init__(self, catalog: Catalog, lang: str, site_dir: str, site_url: str):
        self.arguments = (catalog, lang, site_dir, site_url)
        self.written: int | None = None
        self._process = self._channel = None
        if len(catalog.resources) >= BACKGROUND_FROM and second_process_helps():
            context = multiprocessing.get_context("fork")
            self._channel, theirs = context.Pipe()
            self._process = context.Process(target=_write_in_child, args=(self.arguments, theirs), daemon=True)
            self._process.start()
            theirs.close()

    def shell_rendered(self, shell_output: str) -> None:
        if self._process is None:
            self.written = write_pages(prepare(*self.arguments), shell_output)
        else:
            try:
                self._channel.send(shell_output)
            except OSError:
                pass  # it has stopped, on an error that wait() reports

    def wait(self) -> int | None:
        """Pages written; None when the shell was never rendered."""
        if self._process is not None:
            try:
                outcome, value = self._channel.recv()
            except EOFError:
                outcome, value = "error", f"the process writing them stopped (exit code {self._process.exitcode})"
            self._end()
            if outcome != "ok":
                raise RuntimeError(f"writing the resource pages failed: {value}")
            self.written = value
        return self.written

    def stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._end()

    def _end(self) -> None:
        self._process.join()
        self._channel.close()
        self._process = None


def _write_in_child(arguments, channel) -> None:
    try:
        prepared = prepare(*arguments)
        try:
            shell_output = channel.recv()
        except EOFError:
            return  # the build stopped before it rendered the shell
        channel.send(("ok", write_pages(prepared, shell_output)))
    except BaseException:  # the parent raises it; nothing may escape the child
        channel.send(("error", traceback.format_exc()))
    finally:
        channel.close()


@dataclass
class Prepared:
    """Every resource page of a language but the shell around it, its folder made."""

    lang: str
    folder: str
    pages: list[tuple[Resource, dict[str, str]]]  # each resource and its page's sections


def prepare(catalog: Catalog, lang: str, site_dir: str, site_url: str) -> Prepared:
    pages = ResourcePages(catalog, lang, site_url)
    folder = os.path.join(site_dir, "resources")
    os.makedirs(folder, exist_ok=True)
    prepared = Prepared(lang, folder, [])
    for resource in catalog.resources.values():
        os.makedirs(os.path.join(folder, resource.id), exist_ok=True)
        prepared.pages.append((resource, pages.sections(resource)))
    return prepared


def write_pages(prepared: Prepared, shell_output: str) -> int:
    """Every resource page of the language: the shell filled in; returns how many."""
    shell, lang = Shell(shell_output), prepared.lang
    for resource, sections in prepared.pages:
        content = shell.fill(resource.id, resource.title(lang), short_description(resource.summary(lang)), sections)
        with open(os.path.join(prepared.folder, resource.id, "index.html"), "wb") as page_file:
            page_file.write(content.encode("utf-8"))
    return len(prepared.pages)


def sitemap_entries(catalog: Catalog | None) -> dict:
    """on_env: what overrides/sitemap.xml needs, the shell to leave out and the pages
    written from it (None: a build without resource pages)."""
    return {"shell_src": SHELL_SRC, "urls": [page_url(resource_id) for resource_id in catalog.resources] if catalog else []}


def finish(site_dir: Path) -> None:
    """on_post_build: drop the shell (MkDocs wrote it; overrides/sitemap.xml leaves it out)."""
    shutil.rmtree(site_dir / "resources" / SHELL_ID, ignore_errors=True)
