"""Shared fixtures: one strict build of the real site per test run, served on 127.0.0.1."""

from __future__ import annotations

import functools
import os
import shutil
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
OUTPUT_DIR = PROJECT_DIR / "test-output"

from macros.tools.build import build_site  # noqa: E402
from macros.tools.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from macros.tools.serve import SiteHandler  # noqa: E402

from macros.catalogue.load import load_catalog  # noqa: E402


@pytest.fixture(scope="session")
def catalog():
    return load_catalog(PROJECT_DIR)


@pytest.fixture(scope="session")
def output_dir() -> Path:
    OUTPUT_DIR.mkdir(exist_ok=True)
    return OUTPUT_DIR


@pytest.fixture(scope="session")
def built_site(output_dir) -> Path:
    """The real site, built strictly once for the whole run."""
    site = output_dir / "site"
    build_site(site, quiet=True)
    return site


class CheckerFriendlyHandler(SiteHandler):
    def end_headers(self):
        # LinkChecker only exceeds 10 requests/s against a server that sends this header.
        self.send_header("LinkChecker", "unthrottled")
        super().end_headers()


@pytest.fixture(scope="session")
def site_url(built_site):
    """Base URL of the built site served like a static host (with per-language 404s)."""
    handler = functools.partial(CheckerFriendlyHandler, directory=str(built_site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


# Everything a build needs, nothing it makes or installs (bench/node_modules alone is 176 MB).
# Built output only at the top: macros/site/ is code.
_NOT_COPIED_AT_TOP = {"site", "site.old", "test-output", "link-report"}
_NOT_COPIED_ANYWHERE = {".venv", "node_modules", ".git", "__pycache__", ".pytest_cache"}


def _not_copied(folder: str, names: list[str]) -> set[str]:
    top = Path(folder).resolve() == PROJECT_DIR
    return {name for name in names if name in _NOT_COPIED_ANYWHERE or (top and name in _NOT_COPIED_AT_TOP)}


def copy_project(target: Path) -> Path:
    """A complete, buildable copy of the project at `target`, to change on purpose."""
    shutil.copytree(PROJECT_DIR, target, ignore=_not_copied)
    return target


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A copy of data/ and docs/ to break on purpose."""
    for name in ("data", "docs"):
        shutil.copytree(PROJECT_DIR / name, tmp_path / name)
    return tmp_path




@pytest.fixture(scope="session")
def browser():
    """Headless Debian chromium. Missing browser is a failure, never a skip."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `make browser-deps` (Debian package chromium) or set CHROMIUM_PATH")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


AXE = PROJECT_DIR / "node_modules" / "axe-core" / "axe.min.js"


def serious_axe_violations(page) -> list[str]:
    """Run axe-core on the page as it is now; its serious and critical violations."""
    assert AXE.is_file(), "node_modules/axe-core is missing: run `make test` (npm ci)"
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]
