"""External link checking, offline: LinkChecker against a local server that answers
every kind of trouble, then the classification and the consecutive-failure rule."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from macros.tools.check_links import check_urls, dump_status
from conftest import PROJECT_DIR
from macros.tools.linkhealth import BLOCKED, BROKEN, OK, REDIRECTED, TRANSIENT, Result, problems_report, update_status


class TroubleHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    hits: dict[str, int] = {}

    def log_message(self, *args):
        pass

    def answer(self, code, headers=(), body=b"<p>ok</p>"):
        self.send_response(code)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        TroubleHandler.hits[self.path] = TroubleHandler.hits.get(self.path, 0) + 1
        routes = {
            "/ok": (200, ()),
            "/hop1": (301, (("Location", "/hop2"),)),
            "/hop2": (302, (("Location", "/moved-here"),)),
            "/moved-here": (200, ()),
            "/missing": (404, ()),
            "/gone": (410, ()),
            "/forbidden": (403, ()),
            "/busy": (429, (("Retry-After", "120"),)),
            "/linkedin": (999, ()),
            "/error": (500, ()),
        }
        if self.path == "/slow":
            time.sleep(4)  # past the 2 s timeout
            return self.answer(200)
        if self.path == "/drop":
            self.connection.close()  # no answer at all
            return
        code, headers = routes.get(self.path, (404, ()))
        self.answer(code, headers)


@pytest.fixture(scope="module")
def trouble_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), TroubleHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def checked(trouble_server):
    port = trouble_server
    plain = f"http://127.0.0.1:{port}"
    listed = f"http://localhost:{port}"  # "localhost" plays a host known to refuse checkers
    urls = {
        "ok": f"{plain}/ok",
        "redirect": f"{plain}/hop1",
        "404": f"{plain}/missing",
        "410": f"{plain}/gone",
        "403 unlisted": f"{plain}/forbidden",
        "403 listed": f"{listed}/forbidden",
        "429 listed": f"{listed}/busy",
        "429 unlisted": f"{plain}/busy",
        "999 listed": f"{listed}/linkedin",
        "500": f"{plain}/error",
        "slow": f"{plain}/slow",
        "dropped": f"{plain}/drop",
        "dns": "http://no-such-host.invalid/page",
        "tls": f"https://127.0.0.1:{port}/ok",
    }
    waits = []
    started = time.monotonic()
    results, raw = check_urls(
        list(urls.values()), frozenset({"localhost"}), PROJECT_DIR / "tests" / "linkcheckerrc.test",
        retries=1, backoff=[0.5], timeout=2, sleep=waits.append,
    )
    return urls, results, waits, time.monotonic() - started


@pytest.mark.parametrize("name, expected", [
    ("ok", OK), ("redirect", REDIRECTED), ("404", BROKEN), ("410", BROKEN),
    ("403 listed", BLOCKED), ("429 listed", BLOCKED), ("999 listed", BLOCKED),
    ("403 unlisted", TRANSIENT), ("429 unlisted", TRANSIENT),
    ("500", TRANSIENT), ("slow", TRANSIENT), ("dropped", TRANSIENT),
    ("dns", BROKEN), ("tls", BROKEN),
])
def test_each_answer_is_classified(checked, name, expected):
    urls, results, _, _ = checked
    result = results[urls[name]]
    assert result.status == expected, result


def test_redirect_chain_reports_the_final_address(checked):
    urls, results, _, _ = checked
    assert results[urls["redirect"]].final_url.endswith("/moved-here")


def test_failure_details_name_the_cause(checked):
    urls, results, _, _ = checked
    assert results[urls["dns"]].detail.startswith("DNS failure")
    assert results[urls["tls"]].detail.startswith("TLS failure")
    assert "404" in results[urls["404"]].detail


def test_transient_results_are_retried_after_backing_off(checked):
    urls, _, waits, _ = checked
    # One extra round, waiting for the longer of the back-off and Retry-After (120 s).
    assert waits == [120]
    assert TroubleHandler.hits["/error"] == 2 and TroubleHandler.hits["/missing"] == 1


def result(status):
    return {"https://example.org/a": Result("https://example.org/a", status, status)}


OWNERS = {"https://example.org/a": "resource-a"}


def test_only_consecutive_broken_runs_mark_a_link_dead():
    links = {}
    history = []
    for day, status in enumerate([BROKEN, TRANSIENT, BROKEN, BLOCKED, BROKEN], start=1):
        links = update_status(links, result(status), OWNERS, f"2026-01-0{day}", dead_after=3)
        history.append((links["https://example.org/a"]["failures"], links["https://example.org/a"]["dead"]))
    # transient and blocked neither count nor reset; the third broken run marks it dead
    assert history == [(1, False), (1, False), (2, False), (2, False), (3, True)]
    links = update_status(links, result(OK), OWNERS, "2026-01-06", dead_after=3)
    entry = links["https://example.org/a"]
    assert entry["failures"] == 0 and entry["dead"] is False and entry["last_good"] == "2026-01-06"


def test_transient_and_blocked_never_mark_dead():
    links = {}
    for day in range(1, 10):
        links = update_status(links, result(TRANSIENT if day % 2 else BLOCKED), OWNERS, f"2026-01-0{day}", dead_after=1)
    assert links["https://example.org/a"]["dead"] is False


def test_status_file_keeps_last_good_date_and_validates(tmp_path):
    from macros.catalogue.validate import schema_problems
    from macros.catalogue.yamlfile import parse_yaml

    links = update_status({}, result(OK), OWNERS, "2026-01-01", dead_after=3)
    links = update_status(links, result(BROKEN), OWNERS, "2026-01-08", dead_after=3)
    text = dump_status("2026-01-08", links)
    parsed = parse_yaml(text.encode("utf-8"), tmp_path / "link-status.yml")
    assert schema_problems("link-status", parsed, "link-status.yml") == []
    entry = parsed.data["links"]["https://example.org/a"]
    assert entry["last_good"] == "2026-01-01" and entry["last_checked"] == "2026-01-08" and entry["failures"] == 1


def issue_entry(resource, status, detail="", failures=0, dead=False, **extra):
    return {"resource": resource, "status": status, "detail": detail, "last_checked": "2026-01-08",
            "failures": failures, "dead": dead, **extra}


def test_issue_body_lists_dead_then_broken_then_redirected_links():
    links = {
        "https://example.org/gone": issue_entry("res-gone", BROKEN, "404 Not Found", failures=3, dead=True),
        "https://example.org/missing": issue_entry("res-missing", BROKEN, "410 Gone", failures=1),
        "https://example.org/moved": issue_entry("res-moved", REDIRECTED, "200 OK", final_url="https://example.org/new"),
        "https://example.org/fine": issue_entry("res-fine", OK, "200 OK"),
        "https://example.org/refused": issue_entry("res-refused", BLOCKED, "403 Forbidden"),
        "https://example.org/slow": issue_entry("res-slow", TRANSIENT, "timeout"),
    }
    previous = {"https://example.org/gone": {"status": BROKEN}, "https://example.org/moved": {"status": OK}}
    assert problems_report(links, previous) == (
        "### Dead (marked on the site) (1)\n"
        "\n"
        "- `res-gone`: https://example.org/gone (404 Not Found, 3 runs)\n"
        "\n"
        "### Broken, not yet dead (1)\n"
        "\n"
        "- `res-missing`: https://example.org/missing (410 Gone, 1 run(s)) **(new)**\n"
        "\n"
        "### Redirected (update the address) (1)\n"
        "\n"
        "- `res-moved`: https://example.org/moved → https://example.org/new **(new)**\n"
    )


def test_issue_body_is_empty_without_problems():
    # scripts/link_issue.sh closes the issue when the body is empty.
    links = {"https://example.org/fine": issue_entry("res-fine", OK, "200 OK"),
             "https://example.org/slow": issue_entry("res-slow", TRANSIENT, "timeout")}
    assert problems_report(links, {}) == ""
    assert problems_report({}, {}) == ""


def test_issue_body_shows_a_server_answer_as_text():
    # The detail comes from the checked server: no link, image or markup of its own in the issue.
    links = {"https://example.org/x": issue_entry("res-x", BROKEN, '404 <img src=x> [click](https://evil.example) *now*', failures=1)}
    line = problems_report(links, {}).splitlines()[2]
    assert "<img" not in line and "](" not in line and "*now*" not in line
    assert "&lt;img src=x&gt;" in line and "\\[click\\]" in line
