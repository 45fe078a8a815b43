"""`make links`: check every resource address, mirror and translation with LinkChecker.

Needs the network; never part of `make test` (tests/test_linkhealth.py runs the same code
against a local server). Settings: linkcheckerrc.external (threads, timeout, polite rate
per host) and data/link-policy.yml (retries, back-off, blocked hosts, dead threshold).
Writes data/link-status.yml and link-report/ (the raw CSV and issue.md for the workflow).
"""

from __future__ import annotations

import argparse
import datetime
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from macros import PROJECT_DIR
from macros.catalogue.load import load_catalog
from macros.tools.linkhealth import TRANSIENT, Result, parse_linkchecker_csv, problems_report, update_status
from macros.tools.templating import render

MAX_RETRY_AFTER = 300


def run_linkchecker(urls: list[str], blocked_hosts: frozenset[str], config: Path, timeout: int | None = None) -> tuple[dict[str, Result], str]:
    """One LinkChecker pass over `urls`; returns classified results and the raw CSV."""
    work = Path(tempfile.mkdtemp(prefix="links-"))
    work.chmod(0o777)  # run as root, LinkChecker drops to `nobody`
    try:
        page = work / "urls.html"
        page.write_text(render("linkchecker_urls.html", urls=urls), encoding="utf-8")
        page.chmod(0o644)
        report = work / "results.csv"
        command = [
            str(Path(sys.executable).parent / "linkchecker"), "--config", str(config), "--check-extern",
            "--recursion-level", "1", "--no-warnings", "--verbose", "--output", "none",
            "--file-output", f"csv/utf-8/{report}", str(page),
        ]
        if timeout:
            command += ["--timeout", str(timeout)]
        completed = subprocess.run(command, capture_output=True, text=True)
        if completed.returncode == 2 or not report.exists():
            raise RuntimeError(f"LinkChecker failed: {completed.stderr[-2000:]}")
        raw = report.read_text(encoding="utf-8")
        return parse_linkchecker_csv(raw, blocked_hosts), raw
    finally:
        shutil.rmtree(work, ignore_errors=True)


def check_urls(urls: list[str], blocked_hosts: frozenset[str], config: Path, retries: int,
               backoff: list[float], timeout: int | None = None, sleep=time.sleep) -> tuple[dict[str, Result], str]:
    """All addresses, then extra rounds for transient results only, with back-off."""
    results, raw = run_linkchecker(urls, blocked_hosts, config, timeout)
    for round_number in range(retries):
        again = [url for url, result in results.items() if result.status == TRANSIENT]
        if not again:
            break
        wait = backoff[min(round_number, len(backoff) - 1)] if backoff else 0
        retry_after = max((results[u].retry_after or 0 for u in again), default=0)
        sleep(max(wait, min(retry_after, MAX_RETRY_AFTER)))
        retried, more = run_linkchecker(again, blocked_hosts, config, timeout)
        results.update(retried)
        raw += more
    return results, raw


def dump_status(checked: str | None, links: dict) -> str:
    header = (
        "# yaml-language-server: $schema=schema/link-status.schema.json\n"
        "# Written by `make links` (and the weekly workflow); do not edit by hand.\n"
    )
    return header + yaml.safe_dump({"checked": checked, "links": links}, allow_unicode=True, sort_keys=True, width=200)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--today", default=datetime.date.today().isoformat())
    args = parser.parse_args(argv)
    catalog = load_catalog()
    policy = yaml.safe_load((PROJECT_DIR / "data" / "link-policy.yml").read_text(encoding="utf-8"))
    status_file = PROJECT_DIR / "data" / "link-status.yml"
    previous = (yaml.safe_load(status_file.read_text(encoding="utf-8")) or {}).get("links") or {}
    owners = {}
    for resource in catalog.resources.values():
        owners[resource.url] = resource.id
        for mirror in resource.mirrors:
            owners[mirror.url] = resource.id
    blocked = frozenset(entry["host"] for entry in policy["blocked_hosts"])
    results, raw = check_urls(
        list(owners), blocked, PROJECT_DIR / "linkcheckerrc.external", policy["retries"], policy["backoff_seconds"]
    )
    links = update_status(previous, results, owners, args.today, policy["dead_after_failures"])
    status_file.write_text(dump_status(args.today, links), encoding="utf-8")
    report = PROJECT_DIR / "link-report"
    report.mkdir(exist_ok=True)
    (report / "results.csv").write_text(raw, encoding="utf-8")
    (report / "issue.md").write_text(problems_report(links, previous), encoding="utf-8")
    counts = {}
    for entry in links.values():
        key = "dead" if entry.get("dead") else entry["status"]
        counts[key] = counts.get(key, 0) + 1
    print(f"Checked {len(results)} of {len(owners)} addresses: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))
    print(f"Wrote {status_file.relative_to(PROJECT_DIR)} and link-report/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
