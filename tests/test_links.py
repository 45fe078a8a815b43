"""LinkChecker over the served site: no broken internal link in either language."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from conftest import PROJECT_DIR


def linkchecker() -> str:
    found = Path(sys.executable).parent / "linkchecker"
    return str(found) if found.exists() else shutil.which("linkchecker")


def test_no_broken_internal_links(site_url, output_dir):
    # Run as root, LinkChecker drops to `nobody`, which must be able to reach and write
    # its report: a fresh world-writable folder directly under the system temp dir.
    report_dir = Path(tempfile.mkdtemp(prefix="linkcheck-"))
    report_dir.chmod(0o777)
    report = report_dir / "linkchecker.csv"
    result = subprocess.run(
        [
            linkchecker(),
            "--config", str(PROJECT_DIR / "linkcheckerrc"),
            "--no-warnings",
            "--verbose",
            "--output", "none",
            "--file-output", f"csv/utf-8/{report}",
            f"{site_url}/",
            f"{site_url}/en/",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    checked = report.read_text(encoding="utf-8")
    (output_dir / "linkchecker.csv").write_text(checked, encoding="utf-8")
    shutil.rmtree(report_dir, ignore_errors=True)
    broken = [line for line in checked.splitlines() if ";False;" in line]
    assert result.returncode == 0, f"LinkChecker exit {result.returncode}:\n" + "\n".join(broken) + result.stderr[-2000:]
    assert not broken
    # It really crawled both languages, not just the two start pages.
    assert checked.count("/en/topics/") > 5 and checked.count("/topics/") > 10
