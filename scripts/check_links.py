"""`make links`: check every resource address, mirror and translation with LinkChecker.

Needs the network; never part of `make test`. Writes link-report/: the list of checked
addresses (urls.html) and LinkChecker's results (results.csv).
"""

from __future__ import annotations

import html
import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from macros.catalog import load_catalog  # noqa: E402


def main() -> int:
    catalog = load_catalog()
    report = PROJECT_DIR / "link-report"
    report.mkdir(exist_ok=True)
    report.chmod(0o777)  # LinkChecker run as root writes as `nobody`
    links = []
    for resource in catalog.resources.values():
        links.append((resource.url, resource.file))
        links.extend((mirror.url, f"{resource.file} (mirror)") for mirror in resource.mirrors)
    page = report / "urls.html"
    page.write_text(
        "<!doctype html><meta charset=utf-8><title>links</title>\n"
        + "\n".join(f'<a href="{html.escape(url)}">{html.escape(where)}</a><br>' for url, where in links),
        encoding="utf-8",
    )
    page.chmod(0o644)
    linkchecker = Path(sys.executable).parent / "linkchecker"
    result = subprocess.run(
        [str(linkchecker), "--config", str(PROJECT_DIR / "linkcheckerrc.external"), "--check-extern",
         "--recursion-level", "1", "--file-output", f"csv/utf-8/{report / 'results.csv'}", str(page)],
    )
    print(f"Checked {len(links)} addresses; results in {report / 'results.csv'}")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
