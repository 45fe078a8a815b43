"""The malformed corpus (tests/malformed/): every bad file fails with its own message,
and a build over all of them at once names every file and leaves the site untouched."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import PROJECT_DIR, copy_project
from macros.catalogue.load import load_catalog
from macros.catalogue.validate import CatalogError

CORPUS = Path(__file__).parent / "malformed"
CASES = yaml.safe_load((CORPUS / "expected.yml").read_text(encoding="utf-8"))


def install(case: dict, root: Path) -> str:
    """Copy one malformed file into a project copy; returns its displayed path."""
    target = root / case["goes_to"] / case["file"]
    shutil.copyfile(CORPUS / case["file"], target)
    for helper in case.get("with", ()):  # valid files the case needs (support/ -> data/resources/)
        shutil.copyfile(CORPUS / "support" / helper, root / "data" / "resources" / helper)
    if case["goes_to"] == "data/paths/":  # a path needs its pages to be reachable
        for lang in ("zh", "en"):
            (root / "docs" / lang / "paths" / case["file"].replace(".yml", ".md")).write_text(
                "{{ path_page('%s') }}\n" % case["file"][:-4], encoding="utf-8"
            )
    return f"{case['goes_to']}{case['file']}"


def test_corpus_is_large_enough():
    assert len(CASES) >= 30
    assert {case["file"] for case in CASES} == {p.name for p in CORPUS.glob("*.yml")} - {"expected.yml"}


@pytest.mark.parametrize("case", CASES, ids=[case["file"] for case in CASES])
def test_malformed_file_gets_its_message(project_copy, case):
    shown = install(case, project_copy)
    with pytest.raises(CatalogError) as raised:
        load_catalog(project_copy)
    problems = raised.value.problems
    assert all(p.file == shown for p in problems), [str(p) for p in problems]
    matching = [p for p in problems if p.field == case["field"] and case["message"] in p.message]
    assert matching, f"expected [{case['field']}] {case['message']!r}, got {[str(p) for p in problems]}"
    if case["field"]:  # a located problem also carries its line
        assert matching[0].line, str(matching[0])


def test_check_command_lists_every_problem_at_once(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(PROJECT_DIR / "data", project / "data")
    shutil.copytree(PROJECT_DIR / "docs", project / "docs")
    for case in CASES:
        install(case, project)
    result = subprocess.run(
        [sys.executable, "-m", "macros.tools.check", str(project)], capture_output=True, text=True, cwd=PROJECT_DIR
    )
    assert result.returncode == 1
    for case in CASES:
        assert case["goes_to"] + case["file"] in result.stderr, case["file"]


def test_build_over_the_whole_corpus_keeps_the_previous_site(tmp_path, built_site):
    project = copy_project(tmp_path / "project")
    for case in CASES:
        install(case, project)
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    before = {p: (p.stat().st_mtime_ns, p.stat().st_size) for p in site.rglob("*")}
    result = subprocess.run(
        [sys.executable, "-m", "macros.tools.build", "--site-dir", str(site), "--quiet"],
        capture_output=True, text=True, cwd=project,
    )
    assert result.returncode == 1
    assert "left as it was" in result.stderr
    for case in CASES:
        assert case["file"] in result.stderr
    assert {p: (p.stat().st_mtime_ns, p.stat().st_size) for p in site.rglob("*")} == before
    assert not list(tmp_path.glob(".site-build-*"))
