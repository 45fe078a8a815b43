"""Build both languages into site/, or leave the previous site/ untouched on any error.

Chinese (mkdocs.yml) is built at the root, English (mkdocs.en.yml) under en/. Both
builds run in this one process so the catalogue, the segmenter's dictionary and the compiled
templates are loaded once. The new site is written to a temporary folder next to
site/ and swapped in only when both builds and the data check succeed.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")

from mkdocs.commands.build import build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402
from mkdocs.exceptions import Abort, MkDocsException  # noqa: E402

from macros import PROJECT_DIR  # noqa: E402
from macros.catalogue.load import load_catalog  # noqa: E402
from macros.catalogue.validate import CatalogError  # noqa: E402
from macros.languages import LANGUAGES  # noqa: E402
from macros.site.search import DEFAULT_SEGMENTER, SearchBuildError, build_search, check_search_tools  # noqa: E402


DEFAULT_SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000/")


def build_site(site_dir: Path, quiet: bool = False, site_url: str = DEFAULT_SITE_URL, resource_pages: bool = True) -> float:
    """Build into site_dir atomically; returns seconds taken. Raises on failure.

    site_url is where the Chinese root will be served (deployment sets SITE_URL); MkDocs
    needs it for the sitemap, canonical links and the 404 pages' asset paths.
    """
    site_url = site_url.rstrip("/") + "/"
    started = time.perf_counter()
    os.chdir(PROJECT_DIR)  # the configs' paths are relative to the project
    catalog = load_catalog(PROJECT_DIR)  # fail early, with every data problem listed, before MkDocs starts
    # Fail early too when search could not be built as it must: no Pagefind binary, or a
    # Chinese segmenter that does not segment (jieba 0.42 without pkg_resources, for one).
    cut = check_search_tools(os.environ.get("DL_SEGMENTER", DEFAULT_SEGMENTER))
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".site-build-", dir=site_dir.parent))
    guides = []
    try:
        for language in LANGUAGES:
            config = load_config(
                str(PROJECT_DIR / language.config),
                site_dir=str(staging / language.prefix),
                site_url=site_url + language.prefix,
                strict=True,
            )
            guide = config.plugins["guide"]
            guide.catalog = catalog  # one reading of data/ for both languages
            guide.config.resource_pages = resource_pages
            guide.wait_for_pages_later = True  # below: a large catalogue's are written meanwhile
            guides.append(guide)
            if quiet:
                logging.getLogger("mkdocs").setLevel(logging.WARNING)
            build(config)
        # Search: one Pagefind index per language, over both builds (macros/search.py).
        build_search(staging, catalog, cut, resource_pages)
        for guide in guides:
            guide.wait_for_resource_pages()
        _make_world_readable(staging)  # LinkChecker, run as root, reads files as `nobody`
        _swap_in(staging, site_dir)
    except BaseException:
        for guide in guides:
            guide.stop_resource_pages()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return time.perf_counter() - started


def _make_world_readable(folder: Path) -> None:
    # Only what is not already so (most files are, under the usual umask): a chmod of every
    # one of a large catalogue's 80,000 files, through pathlib, took five seconds.
    folder.chmod(0o755)
    folders = [str(folder)]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                is_folder = entry.is_dir(follow_symlinks=False)
                wanted = 0o755 if is_folder else 0o644
                if entry.stat(follow_symlinks=False).st_mode & 0o7777 != wanted:
                    os.chmod(entry.path, wanted)
                if is_folder:
                    folders.append(entry.path)


def _swap_in(staging: Path, site_dir: Path) -> None:
    old = site_dir.with_name(site_dir.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(old)
    staging.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site-dir", default=str(PROJECT_DIR / "site"))
    parser.add_argument("--site-url", default=DEFAULT_SITE_URL, help="where / will be served (env SITE_URL)")
    parser.add_argument("--quiet", action="store_true")
    # DL_RESOURCE_PAGES=0 builds without the resource pages: make bench's baseline only.
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s - %(message)s")
    try:
        seconds = build_site(Path(args.site_dir), quiet=args.quiet, site_url=args.site_url,
                             resource_pages=os.environ.get("DL_RESOURCE_PAGES", "1") != "0")
    except (CatalogError, SearchBuildError, Abort, MkDocsException) as error:
        print(f"Build stopped: {error}", file=sys.stderr)
        print(f"The previous site in {args.site_dir} was left as it was.", file=sys.stderr)
        return 1
    print(f"Built both languages into {args.site_dir} in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
