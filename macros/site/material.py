"""Everything this site ties to one version of Material for MkDocs, and what to review
when Material changes.

Where Material offers a supported means, the site uses it: theme overrides (overrides/),
a sitemap override, the `url` filter in on_env (macros/site/shared_assets.py) and a search
worker of its own that speaks Material's worker messages (macros/site/search_worker.js).
One change to Material's JavaScript bundle remains, for want of any setting (BUNDLE_CHANGES).

Another installed version stops the build with the whole review list below, instead of
misbehaving quietly. Dependabot bumps Material in a group of its own
(.github/dependabot.yml) so that this review comes alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

REVIEWED_VERSION = "9.8.1"


@dataclass(frozen=True)
class BundleChange:
    what: str         # what the change does, and why no setting does it
    original: str     # an expression from Material's source (not a minified name), once in the bundle
    replacement: str
    review: str       # what to look for in a new bundle


BUNDLE_CHANGES = (
    BundleChange(
        what="Material's setupAlternate (src/templates/assets/javascripts/integrations/alternate/index.ts), "
             "called on every page with no setting to turn it off, fetches sitemap.xml next to the href of "
             "every <link rel=alternate> in the head. This site's head has page-level hreflang links "
             "(overrides/main.html), so each page would make two failing requests (<page>/sitemap.xml). "
             "Its selector is narrowed to an attribute no element has: no link is looked up, and its click "
             "handler, finding no alternate site, leaves every link alone (the switcher is plain links).",
        original='"link[rel=alternate]"',
        replacement='"link[rel=alternate][data-dl-no-sitemap-lookup]"',
        review="Find setupAlternate in the new bundle (it calls fetchSitemap, i.e. new URL(\"sitemap.xml\", ...), "
               "for each alternate link). If it still fetches a sitemap per link[rel=alternate], move this change "
               "to its new selector; if Material now fetches only for extra.alternate or behind a feature or "
               "setting, drop this change and use that. Then open a page and check that no request goes to "
               "<page>/sitemap.xml (tests/test_material.py).",
    ),
)

# Not patches, but copies of Material's templates or protocol: review them on every upgrade.
OTHER_REVIEWS = (
    "overrides/partials/search.html is Material's partials/search.html with an aria-label on the dialog: "
    "diff it against the new partial and re-copy.",
    "overrides/main.html replaces the block site_meta of Material's base.html: diff that block.",
    "macros/site/search_worker.js speaks Material's worker messages (integrations/search/worker/message: "
    "SETUP 0, READY 1, QUERY 2, RESULT 3; the setup data {config, docs} comes from search/search_index.json) "
    "and macros/site/search.py writes it over Material's worker file (assets/javascripts/workers/search.*.min.js).",
    "macros/site/shared_assets.py: Material must still reach every asset through the `url` filter "
    "(tests/test_material.py checks no English page asks for /en/assets/).",
)


class MaterialChanged(RuntimeError):
    pass


def review_list() -> str:
    changes = [f"- bundle change {number}: {change.what}\n  Review: {change.review}"
               for number, change in enumerate(BUNDLE_CHANGES, 1)]
    return "\n".join(changes + [f"- {item}" for item in OTHER_REVIEWS])


def check_version() -> None:
    installed = version("mkdocs-material")
    if installed != REVIEWED_VERSION:
        raise MaterialChanged(
            f"mkdocs-material {installed} is installed; macros/site/material.py was reviewed against "
            f"{REVIEWED_VERSION}. Review each of these, then set REVIEWED_VERSION:\n{review_list()}"
        )


def patch_bundle(site_dir: Path) -> None:
    """Apply BUNDLE_CHANGES to the one Material bundle in site_dir (the root language's)."""
    check_version()
    bundles = list((site_dir / "assets" / "javascripts").glob("bundle.*.min.js"))
    if len(bundles) != 1:
        raise MaterialChanged(f"expected one Material bundle in {site_dir}, found {len(bundles)}")
    code = bundles[0].read_text(encoding="utf-8")
    for number, change in enumerate(BUNDLE_CHANGES, 1):
        found = code.count(change.original)
        if found != 1:
            raise MaterialChanged(f"Material's bundle changed: bundle change {number} expects {change.original} once, "
                                  f"found it {found} times.\nWhat it does: {change.what}\nReview: {change.review}")
        code = code.replace(change.original, change.replacement)
    bundles[0].write_text(code, encoding="utf-8")
