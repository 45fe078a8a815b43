"""One copy of the theme's assets for every language (issue 13).

Each language is its own MkDocs build, and each build copies Material's assets and
overrides/assets/ into its own assets/ folder: a reader switching language would download
the same stylesheets and scripts again under another address. Instead, `assets/` is the
root language's: a non-root language's build copies none of it (on_files drops the theme's
static files before they are written) and every address of an asset in its pages points at
the root's copy, the same URL in both languages, so the browser's cache serves it.

Addresses are made in two places, both through this module:
- theme templates: MkDocs' `url` and `script_tag` filters, wrapped in on_env (the
  supported way to change a Jinja environment); relative for pages, absolute from
  site_url's path for the 404 page, as MkDocs itself makes them;
- the site's own templates: Renderer.href (macros/site/render.py).
What stays per language: pages, search/search_index.json, pagefind/, feed.xml, sitemap.xml.
"""

from __future__ import annotations

import copy
import posixpath

from jinja2 import pass_context
from mkdocs.exceptions import PluginError
from mkdocs.utils import templates

from macros.languages import Language

FOLDER = "assets/"  # the root's; no other language has one


def is_shared(path: str) -> bool:
    """A site path (relative to a language's root) that only the root language holds."""
    return path.startswith(FOLDER)


def to_root(language: Language) -> str:
    """From a language's root to the site root: "" for the root, "../" for en/."""
    return "../" * language.prefix.count("/")


def drop_theme_assets(files, config, language: Language):
    """on_files of a non-root language: leave the theme's static files to the root's build."""
    theme_dirs = set(config.theme.dirs)
    for file in list(files):
        if not is_shared(file.url):
            continue
        if file.src_dir not in theme_dirs:
            raise PluginError(f"{file.src_uri}: {FOLDER} is shared by every language and comes from the theme "
                              f"(overrides/assets/); {language.docs_dir} cannot add files there")
        files.remove(file)
    return files


def shared_url(path: str, language: Language) -> str:
    """A theme template's address of `path` as the `url` filter takes it, moved to the
    root's copy when `path` is a shared asset."""
    return to_root(language) + path if is_shared(path) else path


def install_filters(env, language: Language) -> None:
    """on_env of a non-root language: `url` and `script_tag` send shared assets to the root."""

    @pass_context
    def url(context, value) -> str:
        value = str(value)
        moved = shared_url(value, language)
        if moved == value:
            return templates.url_filter(context, value)
        if context["page"] is None and context["base_url"].startswith("/"):
            # The 404 page: MkDocs makes its addresses absolute from site_url's path.
            return posixpath.normpath(posixpath.join(context["base_url"], moved))
        return templates.url_filter(context, moved)

    @pass_context
    def script_tag(context, extra_script) -> str:
        if isinstance(extra_script, str):
            return templates.script_tag_filter(context, shared_url(extra_script, language))
        moved = copy.copy(extra_script)
        moved.path = shared_url(extra_script.path, language)
        return templates.script_tag_filter(context, moved)

    env.filters["url"] = url
    env.filters["script_tag"] = script_tag
