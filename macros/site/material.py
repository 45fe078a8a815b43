"""What this site changes in Material for MkDocs that Material offers no setting for.

Every change here is tied to the one Material version it was written against: another
version fails the build with the list of what to review, instead of misbehaving.
Dependabot bumps Material in its own group (.github/dependabot.yml) for this reason.
"""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

REVIEWED_VERSION = "9.8.1"

# Changes to Material's JavaScript bundle, each to exactly one known expression:
# 1. Material's own language switching fetches sitemap.xml next to every
#    <link rel=alternate>; with page-to-page hreflang links that is two failing requests
#    per page, and this site's switcher needs none of it: narrow the selector to nothing.
# 2. The search index is fetched at page load; fetch it when the reader first opens or
#    focuses search instead. `F` is rxjs' Observable in the bundle. Since issue #11 that
#    file holds the Chinese vocabulary and the Pagefind settings (macros/site/search.py),
#    and its arrival is what makes the worker load Pagefind: nothing of search loads before.
# 3. A search result that is a resource card (a URL with #) and not under its page is
#    shown with its text, as a page result is (macros/site/search_worker.js sends cards alone).
BUNDLE_PATCHES = (
    ('M("link[rel=alternate]")', 'M("link[rel=alternate][data-md-lookup]")'),
    (
        'ze(new URL("search/search_index.json",Or.base))',
        'new F(o=>{let s,go=()=>{s||(s=ze(new URL("search/search_index.json",Or.base)).subscribe(o))},'
        'q=document.querySelector("[data-md-component=search-query]"),t=document.getElementById("__search");'
        'q&&q.addEventListener("focus",go);t&&t.addEventListener("change",go);return()=>s&&s.unsubscribe()})',
    ),
    ('oo(i,2|+(!n&&s===0))', 'oo(i,2|+(n<1&&s===0))'),
)


class MaterialChanged(RuntimeError):
    pass


def check_version() -> None:
    installed = version("mkdocs-material")
    if installed != REVIEWED_VERSION:
        raise MaterialChanged(
            f"mkdocs-material {installed} is installed; macros/site/material.py was written for {REVIEWED_VERSION}. "
            "Review each change in BUNDLE_PATCHES against the new bundle, then set REVIEWED_VERSION."
        )


def patch_bundle(site_dir: Path) -> None:
    check_version()
    bundles = list((site_dir / "assets" / "javascripts").glob("bundle.*.min.js"))
    if len(bundles) != 1:
        raise MaterialChanged(f"expected one Material bundle in {site_dir}, found {len(bundles)}")
    code = bundles[0].read_text(encoding="utf-8")
    for number, (original, replacement) in enumerate(BUNDLE_PATCHES, 1):
        if code.count(original) != 1:
            raise MaterialChanged(f"Material's bundle changed: change {number} ({original!r}) no longer applies; "
                                  "review macros/site/material.py")
        code = code.replace(original, replacement)
    bundles[0].write_text(code, encoding="utf-8")
