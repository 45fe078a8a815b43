"""The site's languages, in one table: everything that differs between the Chinese site at /
and the English one at /en/ follows from it (MkDocs configs, roots, switcher, search,
exports, the 404 pages, CONTRIBUTING files). The first language is the root site."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str          # theme.language, the keys of bilingual data, hreflang
    name: str          # in the language itself, for the switcher
    locale: str        # for feeds and browsers (RSS <language>, a test browser's locale)
    prefix: str        # the language's root under the site root: "" or "en/"
    config: str        # its MkDocs config file
    # Material's search plugin collects page text with this separator (Chinese: punctuation
    # and full-width space too); the real index is Pagefind's (macros/site/search.py).
    search_separator: str
    contributing: str  # the CONTRIBUTING file written from its contribute page

    @property
    def docs_dir(self) -> str:
        return f"docs/{self.code}"


LANGUAGES: tuple[Language, ...] = (
    Language(
        code="zh", name="中文", locale="zh-CN", prefix="", config="mkdocs.yml",
        search_separator=r"[\s\u200b\u3000\-、。，．？！；：:（）()]+",
        contributing="CONTRIBUTING.zh.md",
    ),
    Language(
        code="en", name="English", locale="en-US", prefix="en/", config="mkdocs.en.yml",
        search_separator=r"[\s\u200b\-]+",
        contributing="CONTRIBUTING.md",
    ),
)
CODES: tuple[str, ...] = tuple(language.code for language in LANGUAGES)
ROOT = LANGUAGES[0]
BY_CODE = {language.code: language for language in LANGUAGES}


def for_path(path: str) -> Language:
    """The language a site path ("/en/topics/nlp/") belongs to."""
    path = path.lstrip("/")
    for language in LANGUAGES[1:]:
        if path.startswith(language.prefix):
            return language
    return ROOT


def other(code: str) -> Language:
    """The other language of a two-language site."""
    return next(language for language in LANGUAGES if language.code != code)
