"""The `guide` MkDocs plugin: the catalogue turned into one language of the site.

One plugin instance per language build (mkdocs.yml: Chinese at /, mkdocs.en.yml: English
at /en/). Events in build order; all state lives on the instance:

- on_config: the catalogue (handed over by macros/tools/build.py, or read here), the
  language's settings from macros/languages.py, the navigation from the catalogue, the
  page macros registered with mkdocs-macros;
- on_files: the resource page shell (macros/site/resource_pages.py); in a non-root
  language, the theme's assets left to the root's copy (macros/site/shared_assets.py);
- on_env: in a non-root language, asset addresses pointed at the root's copy; the
  resource pages for the sitemap (overrides/sitemap.xml);
- on_pre_page: the page being built, for relative links and descriptions;
- on_post_page: finished card HTML back in place of its placeholders, after Material's
  search has read the page; the shell page becomes every resource page (a large
  catalogue's in a process of their own: macros/site/resource_pages.py);
- on_post_build: in the root language, Material's bundle changes (macros/site/material.py),
  the browser's copy of the catalogue and the open data; in each, the RSS feed.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from macros import PROJECT_DIR
from macros.catalogue.load import load_catalog
from macros.catalogue.model import Catalog
from macros.languages import BY_CODE, LANGUAGES, ROOT, Language
from macros.site import material, resource_pages, shared_assets
from macros.site.config import GuideConfig
from macros.site.export import api_files, browser_data, rss_feed
from macros.site.page_macros import page_macros, short_description
from macros.site.render import Renderer


class GuidePlugin(BasePlugin[GuideConfig]):
    def __init__(self):
        # Set by macros/tools/build.py so that both language builds share one reading of data/.
        self.catalog: Catalog | None = None
        self.language: Language | None = None
        self.renderer: Renderer | None = None
        self.page = None
        # The resource pages being written (resource_pages.PageWriting, made in on_files).
        # macros/tools/build.py sets wait_for_pages_later and waits after search, so that a
        # large catalogue's are written while the other language and search are built;
        # otherwise on_post_build waits.
        self.page_writing: resource_pages.PageWriting | None = None
        self.wait_for_pages_later = False

    # -- configuration --------------------------------------------------------------
    def on_config(self, config):
        code = config.theme["language"]
        if code not in BY_CODE:
            raise PluginError(f"theme.language '{code}' is not in macros/languages.py ({', '.join(BY_CODE)})")
        self.language = BY_CODE[code]
        if self.catalog is None:
            self.catalog = load_catalog(PROJECT_DIR)
        self.renderer = Renderer(self.catalog, code)
        ui = {key: text(code) for key, text in self.catalog.ui.items()}

        config.site_name = ui["site.name"]
        config.site_description = ui["site.description"]
        config.docs_dir = str(PROJECT_DIR / self.language.docs_dir)
        self._configure_search(config)
        # Absolute roots of every language, for the hreflang links in every page's head,
        # and the switcher's entries (overrides/main.html, overrides/partials/alternate.html).
        root_url = (config.site_url or "/").rstrip("/") + "/"
        if self.language.prefix and root_url.endswith("/" + self.language.prefix):
            root_url = root_url[: -len(self.language.prefix)]
        config.extra["language_roots"] = {language.code: root_url + language.prefix for language in LANGUAGES}
        config.extra["default_language"] = ROOT.code
        config.extra["alternate"] = [
            {"name": language.name, "lang": language.code, "prefix": self._relative_prefix(language)}
            for language in LANGUAGES
        ]
        config.extra["ui"] = ui  # theme templates (404 page, switcher) read their strings here
        config.nav = self._navigation(ui)
        self._register_macros(config)
        return config

    def _relative_prefix(self, language: Language) -> str:
        """From this language's root to another's: "en/" from /, "../" from /en/."""
        if language is self.language:
            return ""
        return "../" * self.language.prefix.count("/") + language.prefix

    def _configure_search(self, config) -> None:
        # Material's search plugin reads its options in its own on_config, after this one.
        search = config.plugins.get("material/search")
        if search is None:
            raise PluginError("the guide plugin needs Material's search plugin, listed after it")
        search.config.separator = self.language.search_separator

    def _register_macros(self, config) -> None:
        macros_plugin = config.plugins.get("macros")
        if macros_plugin is None:
            raise PluginError("the guide plugin needs the macros plugin (mkdocs-macros)")
        macros_plugin.register_macros(page_macros(self.renderer, self._describe))
        macros_plugin.register_variables({"lang": self.language.code})

    def _describe(self, text: str) -> None:
        # The page's <meta name="description">, from data, unless its front matter has one.
        if self.page is not None and not self.page.meta.get("description"):
            self.page.meta["description"] = short_description(text)

    def _navigation(self, ui: dict[str, str]) -> list:
        # Topics and paths are listed in data; two `nav:` blocks would let menus drift.
        catalog, code = self.catalog, self.language.code
        return [
            {ui["nav.home"]: "index.md"},
            {ui["nav.paths"]: [{ui["nav.paths_compare"]: "paths/index.md"}]
                + [{p.title(code): f"paths/{p.id}.md"} for p in catalog.paths.values()]},
            {ui["nav.topics"]: [{ui["nav.topics_all"]: "topics/index.md"}]
                + [{t.title(code): f"topics/{t.id}.md"} for t in catalog.topics.values()]},
            {ui["nav.explorer"]: "explorer.md"},
            {ui["nav.planner"]: "planner.md"},
            {ui["nav.about"]: [
                {ui["nav.about"]: "about.md"},
                {ui["nav.recent"]: "recent.md"},
                {ui["since.title"]: "since.md"},
                {ui["nav.open_data"]: "open-data.md"},
                {ui["nav.link_health"]: "link-health.md"},
            ]},
            {ui["nav.contribute"]: "contribute.md"},
        ]

    # -- pages ----------------------------------------------------------------------
    def on_files(self, files, config):
        if self.config.resource_pages:
            files.append(resource_pages.shell_file(config, self.catalog, self.language.code))
            self.page_writing = resource_pages.PageWriting(self.catalog, self.language.code, config.site_dir,
                                                           config.site_url or "/")
        if self.language is not ROOT:
            shared_assets.drop_theme_assets(files, config, self.language)
        return files

    def on_env(self, env, config, files):
        if self.language is not ROOT:
            shared_assets.install_filters(env, self.language)
        # overrides/sitemap.xml lists them: they are written from the shell, not by MkDocs.
        env.globals["resource_pages"] = resource_pages.sitemap_entries(self.catalog if self.config.resource_pages else None)
        return env

    def on_pre_page(self, page, config, files):
        self.page = page
        self.renderer.page_url = page.url  # links inside macros are relative to the page
        return page

    def on_post_page(self, output, page, config):
        # After Material's search plugin has read the page (on_page_context): the cards are
        # indexed as records of their own (macros/site/search.py), and parsing thousands of
        # them again as page text grew the build with the catalogue.
        output = self.renderer.restore_deferred(page.url, output)
        if self.config.resource_pages and resource_pages.is_shell(page):
            self.page_writing.shell_rendered(output)
        self.page = None
        return output

    # -- after the pages ------------------------------------------------------------
    def on_post_build(self, config):
        site_dir = Path(config.site_dir)
        built = datetime.date.today().isoformat()
        if self.language is ROOT:  # the theme's assets, the open data: once, at the site root
            if self.config.material_patches:
                material.patch_bundle(site_dir)
            (site_dir / "assets" / "catalog.json").write_text(browser_data(self.catalog), encoding="utf-8")
            (site_dir / "api").mkdir(exist_ok=True)
            for name, content in api_files(self.catalog, built).items():
                (site_dir / "api" / name).write_text(content, encoding="utf-8")
        (site_dir / "feed.xml").write_text(rss_feed(self.catalog, self.language.code, config.site_url or "/", built),
                                           encoding="utf-8")
        if self.config.resource_pages:
            resource_pages.finish(site_dir)
            if not self.wait_for_pages_later:
                self.wait_for_resource_pages()

    def wait_for_resource_pages(self) -> None:
        """Until every resource page of this language is written; raises if one is not."""
        if self.page_writing is None:
            return
        try:
            written = self.page_writing.wait()
        except RuntimeError as error:
            raise PluginError(str(error)) from error
        finally:
            self.page_writing = None
        if written is None:
            raise PluginError("the resource pages were not written: the shell page (resources/__page__.md) was not built")

    def on_build_error(self, error):
        self.stop_resource_pages()

    def stop_resource_pages(self) -> None:
        if self.page_writing is not None:
            self.page_writing.stop()
            self.page_writing = None
