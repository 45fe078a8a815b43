"""`make search-eval`: the queries of data/search/eval.yml, typed into the header search
box of the built site in headless Chromium, as a reader types them.

Prints recall at 1 and 3 and the mean reciprocal rank (MRR) per language side. A query
is answered at rank k when the k-th result link (in the order shown) is one of its
targets: a resource's card (…#r-<id>) or its own page (resources/<id>/), or a page of
the reader's language. The tests and `make bench` use the same functions.
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

from macros import PROJECT_DIR
from macros.languages import BY_CODE, LANGUAGES
from macros.tools.chromium import CHROMIUM, CHROMIUM_ARGS

EVAL_FILE = PROJECT_DIR / "data" / "search" / "eval.yml"
PREFIX = {language.code: "/" + language.prefix for language in LANGUAGES}
SEARCH_BUTTON = "label.md-header__button[for=__search]"
SEARCH_BOX = "input[data-md-component=search-query]"
RESULT_LINKS = ".md-search-result__link"
META = ".md-search-result__meta"


def load_eval(path: Path = EVAL_FILE) -> dict[str, list[dict]]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def target_matches(target: dict, lang: str, url: str) -> bool:
    """Does a result URL show this target, on the side of `lang`?"""
    parts = urlsplit(url)
    path, fragment = unquote(parts.path), unquote(parts.fragment)
    prefix = PREFIX[lang]
    if lang == "zh" and path.startswith("/en/"):
        return False
    if not path.startswith(prefix):
        return False
    local = path[len(prefix):]
    if "resource" in target:
        rid = target["resource"]
        return fragment == f"r-{rid}" or local.rstrip("/") == f"resources/{rid}"
    # A page: the page itself or one of its sections, not a resource card shown on it.
    return local == target["page"] and not fragment.startswith("r-")


def rank_of(entry: dict, lang: str, urls: list[str]) -> int | None:
    """1-based rank of the first result that is one of the entry's targets."""
    seen: list[str] = []
    for url in urls:
        if url in seen:
            continue
        seen.append(url)
        if any(target_matches(t, lang, url) for t in entry["expect"]):
            return len(seen)
    return None


@dataclass
class SideScore:
    lang: str
    ranks: list[int | None] = field(default_factory=list)
    queries: list[str] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    missing_lines: int = 0
    missing_words: list[tuple[str, list[str]]] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)  # result URLs in the other language

    def recall(self, k: int) -> float:
        return sum(1 for r in self.ranks if r is not None and r <= k) / len(self.ranks)

    @property
    def mrr(self) -> float:
        return sum(1 / r for r in self.ranks if r) / len(self.ranks)

    def summary(self) -> dict:
        return {"side": self.lang, "queries": len(self.ranks), "recall@1": round(self.recall(1), 3),
                "recall@3": round(self.recall(3), 3), "mrr": round(self.mrr, 3),
                "missing_lines": self.missing_lines}


class SearchBox:
    """The header search of one page, driven as a reader does: open, type, read results."""

    def __init__(self, page):
        self.page = page

    def open(self, timeout: float = 60.0):
        """Open search and wait until its worker is ready: the result line then reads
        Material's placeholder ("Type to start searching", from the page's __config)."""
        if self.page.is_visible(SEARCH_BUTTON):
            self.page.click(SEARCH_BUTTON)
        self.page.click(SEARCH_BOX)
        self.placeholder = self.page.evaluate(
            "() => JSON.parse(document.getElementById('__config').textContent).translations['search.result.placeholder']")
        self.page.wait_for_function("([meta, text]) => document.querySelector(meta).textContent.trim() === text.trim()",
                                    arg=[META, self.placeholder], timeout=timeout * 1000)

    def _state(self):
        return self.page.evaluate(
            """([links, meta]) => [document.querySelector(meta)?.textContent || "",
                 [...document.querySelectorAll(links)].map(a => a.href)]""",
            [RESULT_LINKS, META],
        )

    def query(self, text: str, timeout: float = 30.0) -> list[str]:
        """Type `text`; return the result URLs in the order shown once they stop changing."""
        box = self.page.locator(SEARCH_BOX)
        box.fill("")
        box.press("End")
        self.page.wait_for_timeout(30)
        baseline = self._state()
        box.fill(text)
        box.press("End")
        deadline = time.monotonic() + timeout
        last, stable_since = None, None
        while time.monotonic() < deadline:
            state = self._state()
            meta = state[0]
            # results (a count), or "no matching documents"; not the "type to start" line
            ready = state != baseline and meta.strip() != self.placeholder.strip() and (
                any(ch.isdigit() for ch in meta) or not state[1])
            if ready and state == last:
                if time.monotonic() - stable_since >= 0.08:
                    return state[1]
            elif state != last:
                last, stable_since = state, time.monotonic()
            self.page.wait_for_timeout(20)
        return last[1] if last else []

    def missing_lines(self) -> list[str]:
        """"Missing: …" lines under the results shown."""
        return self.page.eval_on_selector_all(".md-search-result__terms", "els => els.map(e => e.textContent.trim())")

    def missing_words(self) -> list[tuple[str, list[str]]]:
        """(result URL, the words its "missing" line names) for every result with one."""
        return self.page.eval_on_selector_all(
            ".md-search-result__link",
            "els => els.filter(a => a.querySelector('.md-search-result__terms'))"
            ".map(a => [a.href, [...a.querySelectorAll('.md-search-result__terms del')].map(d => d.textContent)])")


def run_side(browser, base_url: str, lang: str, entries: list[dict], viewport=None) -> tuple[SideScore, list[dict]]:
    context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900},
                                  locale=BY_CODE[lang].locale)
    page = context.new_page()
    page.goto(base_url + PREFIX[lang])
    box = SearchBox(page)
    box.open()
    score = SideScore(lang)
    details = []
    try:
        for entry in entries:
            started = time.perf_counter()
            urls = box.query(str(entry["q"]))
            score.seconds.append(time.perf_counter() - started)
            rank = rank_of(entry, lang, urls)
            score.ranks.append(rank)
            score.queries.append(str(entry["q"]))
            score.foreign += [u for u in urls if urlsplit(u).path.startswith("/en/") != (lang == "en")]
            missing = box.missing_lines()
            score.missing_lines += len(missing)
            score.missing_words += box.missing_words()
            details.append({"q": entry["q"], "kind": entry.get("kind"), "rank": rank,
                            "top": [unquote(u.split("//", 1)[-1].split("/", 1)[-1]) for u in dict.fromkeys(urls)][:3],
                            "missing": missing[:3]})
    finally:
        context.close()
    return score, details


def serve(site: Path):
    from macros.tools.serve import SiteHandler

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(SiteHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def evaluate(site: Path, browser=None, verbose: bool = False) -> dict[str, SideScore]:
    data = load_eval()
    server, base = serve(site)
    scores = {}
    try:
        def run(b):
            for lang in PREFIX:
                score, details = run_side(b, base, lang, data[lang])
                scores[lang] = score
                if verbose:
                    for d in details:
                        mark = "  " if d["rank"] == 1 else "~ " if d["rank"] and d["rank"] <= 3 else "✗ "
                        print(f"{mark}[{lang}] {d['q']!s:45} rank={d['rank']} top={d['top']}"
                              + (f" missing={d['missing']}" if d["missing"] else ""))
        if browser is None:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as playwright:
                b = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                run(b)
                b.close()
        else:
            run(browser)
    finally:
        server.shutdown()
        server.server_close()
    return scores


def format_table(scores: dict[str, SideScore]) -> str:
    lines = ["| side | queries | recall@1 | recall@3 | MRR | \"missing\" lines shown |", "|---|---|---|---|---|---|"]
    for lang, s in scores.items():
        lines.append(f"| {lang} | {len(s.ranks)} | {s.recall(1):.2f} | {s.recall(3):.2f} | {s.mrr:.2f} | {s.missing_lines} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site-dir", default=str(PROJECT_DIR / "site"), help="a built site (make build)")
    parser.add_argument("--verbose", "-v", action="store_true", help="print every query and its top results")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    site = Path(args.site_dir)
    if not (site / "index.html").is_file():
        print(f"No built site in {site}: run `make build` first", file=sys.stderr)
        return 1
    scores = evaluate(site, verbose=args.verbose)
    print(format_table(scores))
    if args.json:
        Path(args.json).write_text(json.dumps({k: v.summary() for k, v in scores.items()}, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
