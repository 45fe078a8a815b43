"""Build both languages, serve site/ on 127.0.0.1, rebuild when a source file changes.

`mkdocs serve` serves one config at a time; the site is two builds (/ and /en/), so
this serves the built folder the way a static host would, with each language's 404.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import io
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build import PROJECT_DIR, build_site  # noqa: E402

WATCHED = ("data", "docs", "macros", "overrides", "mkdocs.yml", "mkdocs.en.yml")


COMPRESSIBLE = (".html", ".css", ".js", ".json", ".xml", ".svg", ".csv", ".txt")


class SiteHandler(SimpleHTTPRequestHandler):
    """Static files as a static host serves them: gzip for text when the browser accepts
    it (GitHub Pages does the same), and the 404 page of the missing URL's language."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the base class redirects /dir to /dir/
            path = path / "index.html"
        if "gzip" not in self.headers.get("Accept-Encoding", "") or path.suffix not in COMPRESSIBLE or not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)

    def send_error(self, code, message=None, explain=None):
        if code != 404:
            return super().send_error(code, message, explain)
        prefix = "en/" if self.path.startswith("/en/") else ""
        page = Path(self.directory) / prefix / "404.html"
        if not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format, *args):  # noqa: A002 - signature from the base class
        pass


def _snapshot() -> dict[str, int]:
    files = {}
    for name in WATCHED:
        path = PROJECT_DIR / name
        for file in [path] if path.is_file() else path.rglob("*"):
            if file.is_file():
                files[str(file)] = file.stat().st_mtime_ns
    return files


def _rebuild(site_dir: Path) -> None:
    try:
        seconds = build_site(site_dir, quiet=True)
        print(f"Rebuilt in {seconds:.1f} s", flush=True)
    except Exception as error:  # keep serving the last good site
        print(f"Build failed, still serving the previous site:\n{error}", flush=True)


def watch(site_dir: Path, interval: float) -> None:
    seen = _snapshot()
    while True:
        time.sleep(interval)
        now = _snapshot()
        if now != seen:
            seen = now
            _rebuild(site_dir)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--site-dir", default=str(PROJECT_DIR / "site"))
    parser.add_argument("--no-build", action="store_true", help="serve site/ as it is")
    parser.add_argument("--no-watch", action="store_true")
    args = parser.parse_args()
    site_dir = Path(args.site_dir).resolve()
    if not args.no_build:
        _rebuild(site_dir)
    if not (site_dir / "index.html").is_file():
        print(f"No site in {site_dir}; fix the errors above and run again.", file=sys.stderr)
        return 1
    if not args.no_watch:
        threading.Thread(target=watch, args=(site_dir, 1.0), daemon=True).start()
    handler = functools.partial(SiteHandler, directory=str(site_dir))
    server = ThreadingHTTPServer((args.host, args.port), handler)
    print(f"Serving http://{args.host}:{args.port}/ (中文) and http://{args.host}:{args.port}/en/ (English)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
