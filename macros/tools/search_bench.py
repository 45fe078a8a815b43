"""Search engines compared (issue #11): bytes loaded before the first result and time to
the first result, on a phone under Lighthouse's mobile throttling (150 ms round trip,
1.6 Mbit/s down, 750 kbit/s up, CPU slowed 4×, applied through the DevTools protocol),
plus the evaluation set's figures (scripts/search_eval.py).

The baseline is the site as it was before issue #11 (Material's lunr search), built from
git history into a temporary folder; the current engine is the working tree's.
`make bench` runs this; alone: `.venv/bin/python scripts/search_bench.py`.
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path

from macros import PROJECT_DIR
from macros.tools.chromium import CHROMIUM, CHROMIUM_ARGS
from macros.tools.search_eval import SEARCH_BOX, SEARCH_BUTTON, evaluate
from macros.tools.serve import SiteHandler
from macros.languages import CODES

BASELINE_REF = "3ea53dd"  # main before issue #11: Material's lunr search
QUERIES = {"zh": "深度学习", "en": "deep learning"}
MOBILE = {"latency": 150, "downloadThroughput": 1.6 * 1024 * 1024 / 8, "uploadThroughput": 750 * 1024 / 8}
CPU_SLOWDOWN = 4
RUNS = 3


class CountingHandler(SiteHandler):
    served: list[tuple[float, str, int]] = []

    def send_header(self, keyword, value):
        if keyword.lower() == "content-length":
            CountingHandler.served.append((time.perf_counter(), self.path, int(value)))
        super().send_header(keyword, value)

    def log_message(self, *args):
        pass


def serve(site: Path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(CountingHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def first_result(browser, base: str, lang: str, query: str) -> dict:
    context = browser.new_context(viewport={"width": 412, "height": 823}, is_mobile=True, has_touch=True,
                                  device_scale_factor=1.75)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", {"offline": False, **MOBILE})
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    CountingHandler.served.clear()
    page.goto(f"{base}/{'en/' if lang == 'en' else ''}")
    page.wait_for_load_state("networkidle")
    page_bytes = sum(size for _, _, size in CountingHandler.served)
    opened = time.perf_counter()
    page.click(SEARCH_BUTTON)
    page.click(SEARCH_BOX)
    page.fill(SEARCH_BOX, query)
    page.press(SEARCH_BOX, "End")
    page.wait_for_selector(".md-search-result__link", timeout=120_000)
    shown = time.perf_counter()
    search_bytes = sum(size for at, _, size in CountingHandler.served if opened <= at <= shown)
    search_files = [path for at, path, _ in CountingHandler.served if opened <= at <= shown]
    context.close()
    return {"page_bytes": page_bytes, "search_bytes": search_bytes, "requests": len(search_files),
            "seconds": shown - opened}


def measure(site: Path, runs: int = RUNS) -> dict[str, dict]:
    from playwright.sync_api import sync_playwright

    server, base = serve(site)
    rows = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            for lang, query in QUERIES.items():
                samples = [first_result(browser, base, lang, query) for _ in range(runs)]
                rows[lang] = {key: statistics.median(s[key] for s in samples) for key in samples[0]}
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return rows


def build_baseline(folder: Path, ref: str = BASELINE_REF) -> Path | None:
    """The site at `ref`, built with this project's virtual environment; None without git history."""
    source = folder / "src"
    source.mkdir()
    archive = subprocess.run(["git", "-C", str(PROJECT_DIR), "archive", ref], capture_output=True)
    if archive.returncode:
        print(f"  baseline {ref} not in git history: {archive.stderr.decode().strip()}", flush=True)
        return None
    subprocess.run(["tar", "-x", "-C", str(source)], input=archive.stdout, check=True)
    # Packages the baseline pinned that this environment no longer has (jieba): into a
    # folder of their own, on the baseline build's path only.
    from importlib.metadata import PackageNotFoundError, version

    missing = []
    for line in (source / "requirements.txt").read_text(encoding="utf-8").splitlines():
        name, _, pinned = line.split("#")[0].strip().partition("==")
        if pinned:
            try:
                version(name)
            except PackageNotFoundError:
                missing.append(f"{name}=={pinned}")
    extra = folder / "baseline-packages"
    if missing:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
                        "--target", str(extra), *missing], check=True)
    site = folder / "site"
    result = subprocess.run([sys.executable, str(source / "scripts" / "build.py"), "--quiet", "--site-dir", str(site)],
                            cwd=source, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(extra)})
    if result.returncode:
        raise RuntimeError(f"baseline build failed: {result.stderr[-2000:]}")
    return site


def compare(current_site: Path, baseline_site: Path | None) -> list[dict]:
    rows = []
    for name, site in (("Material lunr (before, " + BASELINE_REF + ")", baseline_site), ("Pagefind (now)", current_site)):
        if site is None:
            continue
        print(f"  {name}: first result under mobile throttling ...", flush=True)
        timing = measure(site)
        print(f"  {name}: evaluation set ...", flush=True)
        scores = evaluate(site)
        for lang in CODES:
            s, t = scores[lang], timing[lang]
            rows.append({"engine": name, "side": lang, "query": QUERIES[lang],
                         "page_kb": round(t["page_bytes"] / 1024, 1), "search_kb": round(t["search_bytes"] / 1024, 1),
                         "before_first_kb": round((t["page_bytes"] + t["search_bytes"]) / 1024, 1),
                         "requests": int(t["requests"]), "seconds": round(t["seconds"], 2),
                         "r1": f"{s.recall(1):.2f}", "r3": f"{s.recall(3):.2f}", "mrr": f"{s.mrr:.2f}",
                         "missing": s.missing_lines})
    return rows


COLUMNS = [("engine", "engine"), ("side", "side"), ("query", "query timed"), ("page_kb", "page KB"),
           ("search_kb", "search KB"), ("before_first_kb", "KB before first result"), ("requests", "search requests"),
           ("seconds", "s to first result"), ("r1", "recall@1"), ("r3", "recall@3"), ("mrr", "MRR"),
           ("missing", "\"missing\" lines")]


def markdown(rows: list[dict]) -> str:
    lines = ["| " + " | ".join(t for _, t in COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(str(r[k]) for k, _ in COLUMNS) + " |" for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site-dir", default=str(PROJECT_DIR / "site"))
    parser.add_argument("--baseline-site", help="an already built baseline site (skips building it)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="search-bench-") as folder:
        baseline = Path(args.baseline_site) if args.baseline_site else build_baseline(Path(folder))
        print(markdown(compare(Path(args.site_dir), baseline)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
