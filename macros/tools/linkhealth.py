"""Link health: classify LinkChecker results and keep the per-address history.

Pure functions, tested offline against a local server (tests/test_linkhealth.py):
- classify() turns one LinkChecker CSV row into ok / redirected / broken / blocked / transient;
- update_status() folds one run into data/link-status.yml, counting consecutive
  "broken" runs; only that count reaching the policy's threshold makes a link dead;
- problems_report() writes the weekly issue's body (templates/link_issue.md).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from macros.catalogue.validate import normalize_url
from macros.tools.templating import render

OK, REDIRECTED, BROKEN, BLOCKED, TRANSIENT = "ok", "redirected", "broken", "blocked", "transient"
_STATUS = re.compile(r"^(\d{3})\b")
_RETRY_AFTER = re.compile(r"Retry-After: (\d+)")


@dataclass(frozen=True)
class Result:
    url: str
    status: str
    detail: str
    final_url: str | None = None
    retry_after: int | None = None


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def classify(url: str, result: str, info: str, final_url: str, blocked_hosts: frozenset[str]) -> Result:
    """One address, from LinkChecker's `result`, `infostring`/`warningstring` and final `url`."""
    result = (result or "").strip()
    detail = result.splitlines()[0][:200] if result else "no answer"
    listed = host_of(url) in blocked_hosts
    retry = _RETRY_AFTER.search(info or "")
    retry_after = int(retry.group(1)) if retry else None
    status_match = _STATUS.match(result)
    if status_match:
        code = int(status_match.group(1))
        if 200 <= code < 300:
            if final_url and normalize_url(final_url) != normalize_url(url):
                return Result(url, REDIRECTED, detail, final_url=final_url)
            return Result(url, OK, detail)
        if code in (404, 410):
            return Result(url, BROKEN, detail)
        if code in (403, 429, 999):
            # Refusals from hosts known to turn checkers away say nothing about the page;
            # from other hosts they are retried and never count as broken.
            return Result(url, BLOCKED if listed else TRANSIENT, detail, retry_after=retry_after)
        if code >= 500 or code == 408:
            return Result(url, TRANSIENT, detail, retry_after=retry_after)
        return Result(url, BROKEN, detail)
    lowered = result.lower()
    if "nameresolution" in lowered or "failed to resolve" in lowered or "name or service not known" in lowered:
        return Result(url, BROKEN, "DNS failure: " + detail)
    if "sslerror" in lowered or "certificate" in lowered:
        return Result(url, BROKEN, "TLS failure: " + detail)
    # Timeouts, resets, refused or dropped connections: try again later.
    return Result(url, TRANSIENT, detail)


def parse_linkchecker_csv(text: str, blocked_hosts: frozenset[str]) -> dict[str, Result]:
    """Results by the address as it was requested (LinkChecker's `urlname`)."""
    lines = [line for line in text.splitlines(keepends=True) if not line.startswith("#")]
    results = {}
    for row in csv.DictReader(io.StringIO("".join(lines)), delimiter=";"):
        url = row.get("urlname") or ""
        if not url.startswith(("http://", "https://")):
            continue
        info = " ".join(filter(None, (row.get("infostring"), row.get("warningstring"))))
        results[url] = classify(url, row.get("result", ""), info, row.get("url", ""), blocked_hosts)
    return results


def update_status(previous: dict, results: dict[str, Result], owners: dict[str, str], today: str, dead_after: int) -> dict:
    """Fold one run's results into the stored status (data/link-status.yml's `links`)."""
    links = {}
    for url, resource_id in owners.items():
        before = previous.get(url, {})
        result = results.get(url)
        if result is None:  # not checked this run: keep what we knew
            if before:
                links[url] = dict(before, resource=resource_id)
            continue
        failures = before.get("failures", 0)
        entry = {"resource": resource_id, "status": result.status, "detail": result.detail, "last_checked": today}
        if result.status == BROKEN:
            failures += 1
        elif result.status in (OK, REDIRECTED):
            failures = 0
            entry["last_good"] = today
        # blocked and transient neither count nor reset the run of failures
        if "last_good" not in entry and before.get("last_good"):
            entry["last_good"] = before["last_good"]
        if result.final_url:
            entry["final_url"] = result.final_url
        entry["failures"] = failures
        entry["dead"] = failures >= dead_after
        links[url] = entry
    return links


def problems_report(links: dict, previous: dict) -> str:
    """Markdown for the weekly issue (templates/link_issue.md): dead and broken links first,
    then redirects; empty when there is nothing to fix."""
    sections = {"dead": [], BROKEN: [], REDIRECTED: []}  # in this order; the keys name them in the template
    for url, entry in sorted(links.items()):
        kind = "dead" if entry.get("dead") else entry["status"]
        if kind in sections:
            new = previous.get(url, {}).get("status") != entry["status"]
            sections[kind].append({"url": url, "entry": entry, "new": new})
    return render("link_issue.md", sections=sections)
