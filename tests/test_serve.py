"""`make serve` end to end in headless Chromium: an open page reloads by itself after
saving data, a template and a Python module; a broken macro leaves the last good site
served with the error printed, and fixing it resumes the rebuilds. Never skipped."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from conftest import PROJECT_DIR, copy_project

REBUILD_TIMEOUT_MS = 240_000  # a fresh-process build takes 5-15 s; CI machines vary
PAGE = "en/topics/dl-fundamentals/"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """scripts/serve.py of a project copy, its output collected as it comes."""

    def __init__(self, project, port: int):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "macros.tools.serve", "--port", str(port)],
            cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.base = f"http://127.0.0.1:{port}/"

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_for(self, text: str, timeout: float = REBUILD_TIMEOUT_MS / 1000, start: int = 0) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            if text in "".join(self.lines[start:]):
                return
            if self.process.poll() is not None:
                pytest.fail(f"serve.py exited ({self.process.returncode}):\n{self.output}")
            time.sleep(0.1)
        pytest.fail(f"{text!r} not printed within {timeout} s:\n{self.output}")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def saved_then_reloaded(page, change, expected: str) -> float:
    """Seconds from `change()` (a save) to the open page showing `expected` after a reload."""
    page.evaluate("window.__beforeSave = true")
    started = time.perf_counter()
    change()
    page.wait_for_function("() => window.__beforeSave === undefined", timeout=REBUILD_TIMEOUT_MS)
    page.wait_for_function("text => document.body && document.body.innerText.includes(text)", arg=expected,
                           timeout=30_000)
    return time.perf_counter() - started


def test_serve_rebuilds_in_a_fresh_process_and_reloads_open_pages(tmp_path, browser):
    project = copy_project(tmp_path / "project")
    port = _free_port()
    server = Server(project, port)
    context = browser.new_context()
    try:
        server.wait_for("Serving http://127.0.0.1:%d/" % port)
        assert "/en/ (English)" in server.output
        page = context.new_page()
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(server.base + PAGE)
        page.wait_for_timeout(500)  # the reload script's first long-poll is open

        # 1. a data file
        resource = project / "data" / "resources" / "mit-6s191.yml"
        seconds = saved_then_reloaded(
            page, lambda: edit(resource, "  en: \"MIT 6.S191: Introduction to Deep Learning\"",
                               "  en: \"MIT 6.S191 edited in a data file\""),
            "MIT 6.S191 edited in a data file",
        )
        print(f"save-to-reload (data file): {seconds:.1f} s")

        # 2. a template
        saved_then_reloaded(
            page, lambda: edit(project / "macros" / "site" / "templates" / "topic.md", "", "Edited template marker\n\n"),
            "Edited template marker",
        )

        # 3. a Python module under macros/: only a fresh process sees it
        render = project / "macros" / "site" / "render.py"
        saved_then_reloaded(
            page, lambda: edit(render, 'return self._render("topic.md", topic=topic,',
                               'return "Edited Python marker\\n\\n" + self._render("topic.md", topic=topic,'),
            "Edited Python marker",
        )

        # 4. a broken macro: the error is printed, the last good site stays served
        init = project / "macros" / "site" / "page_macros.py"
        good = init.read_text(encoding="utf-8")
        mark = len(server.lines)
        page.evaluate("window.__beforeSave = true")
        edit(init, "    catalog, lang = renderer.catalog, renderer.lang\n", "    raise RuntimeError('macro broken on purpose')\n")
        server.wait_for("still serving the last good site", start=mark)
        server.wait_for("macro broken on purpose", start=mark, timeout=5)
        assert page.evaluate("window.__beforeSave") is True  # no reload after a failed build
        served = urllib.request.urlopen(server.base + PAGE, timeout=10).read().decode("utf-8")
        assert "Edited Python marker" in served and "MIT 6.S191 edited in a data file" in served

        # 5. fixed: rebuilds resume and the page reloads
        def fix():
            init.write_text(good, encoding="utf-8")
            edit(resource, "MIT 6.S191 edited in a data file", "MIT 6.S191 fixed after the error")

        saved_then_reloaded(page, fix, "MIT 6.S191 fixed after the error")
        assert server.process.poll() is None
        origins = {url.split("/")[2] for url in requests}
        assert origins == {f"127.0.0.1:{port}"}, origins  # the reload adds no third-party request
    except Exception:
        print(server.output)
        raise
    finally:
        context.close()
        server.stop()


def test_the_reload_script_is_only_in_served_pages(built_site):
    for page in list(built_site.rglob("*.html"))[:50]:
        assert "__reload" not in page.read_text(encoding="utf-8"), page


def test_ci_keeps_the_built_site_of_every_pull_request_for_reviewers():
    import re

    import yaml

    workflow = yaml.safe_load((PROJECT_DIR / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8"))
    triggers = workflow[True]  # PyYAML reads the key `on` as True
    assert "pull_request" in triggers and "pull_request_target" not in triggers
    assert workflow["permissions"] == {"contents": "read"}
    steps = workflow["jobs"]["test"]["steps"]
    uploads = [s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@") and s["with"]["path"] == "site/"]
    assert len(uploads) == 1
    assert re.fullmatch(r"actions/upload-artifact@[0-9a-f]{40}", uploads[0]["uses"])
    assert uploads[0]["if"] == "github.event_name == 'pull_request'"
    builds = [s for s in steps if s.get("run") == "make build"]
    assert builds and steps.index(builds[0]) < steps.index(uploads[0])
