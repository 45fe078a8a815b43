"""Build both languages, serve site/ on 127.0.0.1, rebuild when a source file changes.

`mkdocs serve` serves one config at a time; the site is two builds (/ and /en/), so
this serves the built folder the way a static host would, with each language's 404.

Every rebuild runs macros/tools/build.py in a fresh process, so an edit to a Python module
under macros/ counts like any other; a failed build prints its error and the last good
site stays served (build.py swaps a new site in only when it is complete). Pages opened
from this server carry a small script, added to each HTML response here and never
written to site/, that asks this same server whether a newer build exists (a long-poll)
and reloads the page when one does.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import io
import json
import os
import subprocess
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from macros import PROJECT_DIR, languages
from macros.tools.templating import render


# What a rebuild depends on: data, pages, templates, Python, configs.
WATCHED = ("data", "docs", "macros", "overrides", "mkdocs.yml", "mkdocs.en.yml", "pyproject.toml")
IGNORED_SUFFIXES = (".swp", ".swx", ".tmp", "~", ".pyc")


COMPRESSIBLE = (".html", ".css", ".js", ".json", ".xml", ".svg", ".csv", ".txt")


class SiteHandler(SimpleHTTPRequestHandler):
    """Static files as a static host serves them: gzip for text when the browser accepts
    it (GitHub Pages does the same), and the 404 page of the missing URL's language."""

    def page_body(self, path: Path) -> bytes:
        """The bytes sent for a file (the development server adds its reload script)."""
        return path.read_bytes()

    def rewrites(self, path: Path) -> bool:
        return False

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the base class redirects /dir to /dir/
            path = path / "index.html"
        gzipped = "gzip" in self.headers.get("Accept-Encoding", "") and path.suffix in COMPRESSIBLE
        if not path.is_file() or not (gzipped or self.rewrites(path)):
            return super().send_head()
        body = self.page_body(path)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        if gzipped:
            body = gzip.compress(body, compresslevel=6)
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def send_error(self, code, message=None, explain=None):
        if code != 404:
            return super().send_error(code, message, explain)
        page = Path(self.directory) / languages.for_path(self.path).prefix / "404.html"
        if not page.is_file():
            return super().send_error(code, message, explain)
        body = self.page_body(page)
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format, *args):  # noqa: A002 - signature from the base class
        pass


RELOAD_PATH = "/__reload"


class Builds:
    """The number of the last good build; waiters are woken when it changes."""

    def __init__(self):
        self.generation = 0
        self.changed = threading.Condition()

    def bump(self) -> None:
        with self.changed:
            self.generation += 1
            self.changed.notify_all()

    def wait(self, since: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.generation != since, timeout=timeout)
            return self.generation


class DevHandler(SiteHandler):
    """SiteHandler plus the reload script in every HTML page and its long-poll endpoint."""

    builds: Builds
    poll_seconds = 25.0

    def rewrites(self, path: Path) -> bool:
        return path.suffix == ".html"

    def page_body(self, path: Path) -> bytes:
        body = path.read_bytes()
        if path.suffix != ".html":
            return body
        script = render("reload.html", generation=self.builds.generation, endpoint=RELOAD_PATH).encode("utf-8")
        end = body.rfind(b"</body>")
        return body[:end] + script + body[end:] if end >= 0 else body + script

    def do_GET(self):
        url = urlsplit(self.path)
        if url.path != RELOAD_PATH:
            return super().do_GET()
        try:
            since = int(parse_qs(url.query).get("since", ["0"])[0])
        except ValueError:
            since = -1
        body = json.dumps({"generation": self.builds.wait(since, self.poll_seconds)}).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _snapshot(root: Path) -> dict[str, int]:
    files = {}
    for name in WATCHED:
        path = root / name
        if not path.exists():
            continue
        for file in [path] if path.is_file() else path.rglob("*"):
            if "__pycache__" in file.parts or file.name.startswith(".") or file.name.endswith(IGNORED_SUFFIXES):
                continue
            try:
                if file.is_file():
                    stat = file.stat()
                    files[str(file)] = (stat.st_mtime_ns, stat.st_size)
            except OSError:
                continue  # deleted while we looked: the next snapshot sees it
    return files


def build(root: Path, site_dir: Path, site_url: str) -> bool:
    """One build in a fresh Python process; True when a new site was swapped in."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "macros.tools.build", "--quiet", "--site-dir", str(site_dir), "--site-url", site_url],
        cwd=root, capture_output=True, text=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    seconds = time.perf_counter() - started
    if result.returncode == 0:
        print(f"Rebuilt in {seconds:.1f} s; open pages reload.", flush=True)
        return True
    output = "\n".join(line for line in (result.stdout + result.stderr).splitlines() if line.strip())
    lines = output.splitlines()
    if len(lines) > 80:
        lines = ["..."] + lines[-80:]
    print("Build failed; still serving the last good site. Fix this and save again:", flush=True)
    print("\n".join("  " + line for line in lines), flush=True)
    return False


def watch(root: Path, site_dir: Path, site_url: str, builds: Builds, seen: dict, interval: float = 0.3) -> None:
    """Rebuild after every save, forever: nothing a build does can stop this loop.
    `seen` is the state the current site was built from."""
    while True:
        try:
            time.sleep(interval)
            now = _snapshot(root)
            if now == seen:
                continue
            # Let a burst of saves (an editor writing several files) settle first.
            while True:
                time.sleep(interval)
                settled = _snapshot(root)
                if settled == now:
                    break
                now = settled
            seen = now
            print("Change seen, rebuilding ...", flush=True)
            if build(root, site_dir, site_url):
                builds.bump()
        except Exception as error:  # noqa: BLE001 - the watcher must outlive any error
            print(f"Watcher error (still watching): {error!r}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 8000))
    parser.add_argument("--root", default=str(PROJECT_DIR), help="the project to build (default: this one)")
    parser.add_argument("--site-dir", default=None, help="default: <root>/site")
    parser.add_argument("--no-build", action="store_true", help="serve site/ as it is")
    parser.add_argument("--no-watch", action="store_true")
    args = parser.parse_args(argv)
    root = Path(args.root).resolve()
    site_dir = Path(args.site_dir or root / "site").resolve()
    # Bind first: a port in use is reported before a build is spent on it.
    try:
        server = ThreadingHTTPServer((args.host, args.port), None)
    except OSError as error:
        print(f"Cannot serve on {args.host}:{args.port}: {error.strerror}; try make serve PORT=8001", file=sys.stderr)
        return 1
    port = server.server_address[1]
    site_url = f"http://{args.host}:{port}/"
    builds = Builds()
    seen = _snapshot(root)  # before the first build: a save during it is not missed
    if not args.no_build:
        print("Building both languages ...", flush=True)
        build(root, site_dir, site_url)
    if not (site_dir / "index.html").is_file():
        print(f"No site in {site_dir}; fix the errors above and run again.", file=sys.stderr)
        server.server_close()
        return 1
    handler = type("Handler", (DevHandler,), {"builds": builds})
    server.RequestHandlerClass = functools.partial(handler, directory=str(site_dir))
    if not args.no_watch:
        threading.Thread(target=watch, args=(root, site_dir, site_url, builds, seen), daemon=True).start()
    print(f"Serving http://{args.host}:{port}/ (中文) and http://{args.host}:{port}/en/ (English)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
