"""Hostile data (issue #13): the worst inputs we can construct are refused, with the file
named, in bounded time; nothing outside data/ is read through the data; make new-resource
and make check apply one set of rules.

The bound: reading and validating any single data file takes at most FILE_BOUND seconds
(measured on the project machine, 2 shared cores: the worst input below takes about 1 s),
and `make check` over a catalogue holding all of them at once at most CHECK_BOUND.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import PROJECT_DIR, copy_project
from macros.catalogue.load import load_catalog
from macros.catalogue.validate import CatalogError
from macros.catalogue.yamlfile import MAX_BYTES, MAX_DEPTH, MAX_ITEMS, MAX_KEYS, MAX_LINE, MAX_NODES

FILE_BOUND = 5.0    # seconds, one file read and validated in-process
CHECK_BOUND = 30.0  # seconds, `python -m macros.tools.check` over every worst input at once

HEAD = (PROJECT_DIR / "tests" / "malformed" / "duplicate-key.yml").read_text(encoding="utf-8").replace(
    "level: beginner\ncost: paid\nlevel: advanced\n", "level: beginner\n"
)


def _bomb(levels: int) -> str:
    lines = ["a0: &a0 [" + ",".join(['"lol"'] * 9) + "]"]
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def _worst_inputs() -> dict[str, str]:
    """name -> text: each pushes one limit as far as it goes (within MAX_BYTES)."""
    lines_at_limit = "".join(f'k{i}: "' + "a" * (MAX_LINE - 12) + '"\n' for i in range(MAX_BYTES // MAX_LINE - 2))
    return {
        # 9**30 strings once expanded: refused on the first anchor, nothing expanded
        "alias-bomb": _bomb(30) + HEAD,
        "alias-bomb-late": HEAD + "".join(f"k{i}: v\n" for i in range(MAX_KEYS - 40)) + _bomb(30),
        "huge-file": HEAD + "x: |\n" + "  " + "a" * 1000 + ("\n  " + "b" * 1000) * (MAX_BYTES // 1003 - 4) + "\n",
        "long-line": HEAD + 'x: "' + "a" * (MAX_BYTES - 2000) + '"\n',
        "lines-at-limit": HEAD + lines_at_limit,
        "deep-nesting": HEAD + "x:\n" + "  [\n" * (MAX_BYTES // 5),
        "deep-mappings": HEAD + "".join("  " * i + f"k{i}:\n" for i in range(MAX_DEPTH * 20)),
        "node-cap": HEAD + "x:\n" + "".join(f"  k{i}:\n" + "".join(f"    - {j}\n" for j in range(9)) for i in range(MAX_NODES // 9)),
        # just under every cap: parsed, constructed and validated in full
        "heavy-but-parsed": HEAD + "mirrors:\n" + "".join(
            f'  - url: "https://b.org/{i}"\n    kind: mirror\n    label: {{zh: 镜像, en: copy}}\n    languages:\n'
            + "".join("      - en\n" for _ in range(MAX_ITEMS - 5))
            for i in range(MAX_NODES // MAX_ITEMS - 1)
        ),
        "many-problems": HEAD + "mirrors:\n" + "".join(
            "  - {url: 'https://u:p@b/', kind: x, languages: [" + ",".join(["q"] * 100) + "]}\n"
            for _ in range(MAX_NODES // 110)
        ),
        "unsortable-unique-items": HEAD.replace("topics: [dl-fundamentals]", "topics:\n" + "".join(
            f"  - {{a: {i}}}\n" for i in range(MAX_ITEMS - 1)
        )),
        "invisible-everywhere": HEAD + "".join("# " + "\u202e" * 600 + "\n" for _ in range(MAX_BYTES // 1810)),
        "duplicate-key-late": HEAD + "".join(f"k{i}: v\n" for i in range(MAX_KEYS - 40)) + "k1: again\n",
        "too-large": HEAD + "# " + "x" * 1000 + ("\n# " + "x" * 1000) * (MAX_BYTES // 1000),
    }


WORST = _worst_inputs()


def _install(project: Path, name: str, text: str) -> Path:
    path = project / "data" / "resources" / f"worst-{name}.yml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", list(WORST))
def test_worst_input_is_refused_in_bounded_time(project_copy, name):
    _install(project_copy, name, WORST[name])
    # CPU time, not wall time: the bound is about the work a file can cause, and must not
    # depend on what else the (shared, 2-core) machine is doing at that moment.
    started = time.process_time()
    with pytest.raises(CatalogError) as raised:
        load_catalog(project_copy)
    seconds = time.process_time() - started
    assert seconds < FILE_BOUND, f"{name}: {seconds:.2f} s"
    assert raised.value.problems
    assert all(p.file == f"data/resources/worst-{name}.yml" for p in raised.value.problems)
    assert len(raised.value.problems) <= 51  # a bounded report, whatever the file holds


def test_worst_inputs_are_within_the_size_limit_or_refused_for_it():
    for name, text in WORST.items():
        assert len(text.encode("utf-8")) <= MAX_BYTES or name == "too-large", name


def test_make_check_on_every_worst_input_at_once_is_bounded(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(PROJECT_DIR / "data", project / "data")
    shutil.copytree(PROJECT_DIR / "docs", project / "docs")
    for name, text in WORST.items():
        _install(project, name, text)
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "macros.tools.check", str(project)],
        capture_output=True, text=True, cwd=PROJECT_DIR, timeout=CHECK_BOUND * 2,
    )
    seconds = time.perf_counter() - started
    assert result.returncode == 1
    assert seconds < CHECK_BOUND, seconds
    for name in WORST:
        assert f"data/resources/worst-{name}.yml" in result.stderr, name
    assert "anchors (&) and aliases (*) are not allowed" in result.stderr


def test_make_build_on_every_worst_input_at_once_is_bounded(tmp_path):
    project = copy_project(tmp_path / "project")
    for name, text in WORST.items():
        _install(project, name, text)
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "macros.tools.build", "--site-dir", str(tmp_path / "site"), "--quiet"],
        capture_output=True, text=True, cwd=project, timeout=CHECK_BOUND * 2,
    )
    seconds = time.perf_counter() - started
    assert result.returncode == 1 and "Build stopped" in result.stderr
    assert seconds < CHECK_BOUND, seconds
    assert not (tmp_path / "site").exists()


def test_a_symbolic_link_is_refused_not_followed(project_copy):
    link = project_copy / "data" / "resources" / "passwd.yml"
    link.symlink_to("/etc/passwd")
    inside = project_copy / "data" / "resources" / "copy.yml"
    inside.symlink_to(sorted((project_copy / "data" / "resources").glob("c*.yml"))[0])
    with pytest.raises(CatalogError) as raised:
        load_catalog(project_copy)
    messages = {p.file: p.message for p in raised.value.problems}
    assert "root:" not in str(raised.value)
    assert "leads outside data/" in messages["data/resources/passwd.yml"]
    assert "is a symbolic link" in messages["data/resources/copy.yml"]


def test_a_symbolic_link_to_a_folder_outside_data_is_refused(project_copy, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    resources = project_copy / "data" / "resources"
    (outside / "x.yml").write_text("secret: 1\n", encoding="utf-8")
    moved = tmp_path / "resources-real"
    resources.rename(moved)
    resources.symlink_to(outside)
    with pytest.raises(CatalogError) as raised:
        load_catalog(project_copy)
    assert any("leads outside data/" in p.message for p in raised.value.problems)
    assert "secret" not in str(raised.value)


def test_a_fifo_does_not_hang_the_check(project_copy):
    fifo = project_copy / "data" / "resources" / "fifo.yml"
    os.mkfifo(fifo)
    started = time.perf_counter()
    with pytest.raises(CatalogError) as raised:
        load_catalog(project_copy)
    assert time.perf_counter() - started < FILE_BOUND
    assert any(p.file == "data/resources/fifo.yml" and "not a regular file" in p.message for p in raised.value.problems)


def test_windows_line_ends_are_accepted(project_copy):
    path = sorted((project_copy / "data" / "resources").glob("*.yml"))[0]
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    load_catalog(project_copy)


def test_today_is_allowed_and_a_bad_link_status_entry_gets_its_own_message(project_copy):
    import datetime

    path = sorted((project_copy / "data" / "resources").glob("*.yml"))[0]
    text = path.read_text(encoding="utf-8")
    today = datetime.date.today().isoformat()
    lines = [f"reviewed: {today}" if line.startswith("reviewed:") else line for line in text.splitlines()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    status = project_copy / "data" / "link-status.yml"
    status.write_text("checked: 23/11/2026\nlinks: {}\n", encoding="utf-8")
    with pytest.raises(CatalogError) as raised:
        load_catalog(project_copy)
    (problem,) = raised.value.problems
    assert problem.file == "data/link-status.yml" and problem.line == 1 and problem.field == "checked"
    assert "resource" not in problem.message and "skip" not in problem.message
    assert "A date written YYYY-MM-DD" in problem.message and "null" in problem.message


def _scaffold(root, *args):
    return subprocess.run(
        [sys.executable, "-m", "macros.tools.new_resource", "--root", str(root), *args],
        capture_output=True, text=True, cwd=PROJECT_DIR, stdin=subprocess.DEVNULL, timeout=60,
    )


ANSWERS = [
    "--title-zh", "强化学习导论", "--title-en", "Reinforcement Learning: An Introduction (test copy)",
    "--summary-zh", "强化学习领域的经典教材，从多臂老虎机讲到策略梯度，适合系统学习。",
    "--summary-en", "The classic reinforcement-learning textbook, from bandits to policy gradients.",
    "--type", "book", "--topics", "dl-fundamentals", "--level", "intermediate", "--cost", "free",
    "--languages", "en", "--provider", "Sutton and Barto", "--recommended-by", "zhihu-five-months",
    "--id", "rl-test-copy",
]


def test_new_resource_accepts_a_host_listed_in_http_only_like_make_check(project_copy):
    result = _scaffold(project_copy, "--url", "http://incompleteideas.net/some-new-page.html", *ANSWERS)
    assert result.returncode == 0, result.stderr
    load_catalog(project_copy)


def test_new_resource_refuses_what_make_check_refuses(project_copy):
    result = _scaffold(project_copy, "--url", "https://user:secret@example.org/rl/", *ANSWERS)
    assert result.returncode == 1
    assert "[url]" in result.stderr and "must not carry credentials" in result.stderr
    answers = list(ANSWERS)
    answers[answers.index("--topics") + 1] = "no-such-topic"
    result = _scaffold(project_copy, "--url", "https://example.org/rl/", *answers)
    assert result.returncode == 1 and "unknown topic 'no-such-topic'" in result.stderr
    assert not (project_copy / "data" / "resources" / "rl-test-copy.yml").exists()


def test_new_resource_is_not_stalled_by_an_alias_bomb_elsewhere(project_copy):
    _install(project_copy, "alias-bomb", WORST["alias-bomb"])
    started = time.perf_counter()
    result = _scaffold(project_copy, "--url", "https://example.org/rl/", *ANSWERS)
    assert time.perf_counter() - started < 30
    assert result.returncode == 1  # written, but the catalogue has the bomb to fix
    assert (project_copy / "data" / "resources" / "rl-test-copy.yml").exists()
    assert "worst-alias-bomb.yml" in result.stderr


def test_no_symbolic_link_anywhere_in_data(project_copy):
    dictionary = project_copy / "data" / "search" / "jieba-user-dict.txt"
    dictionary.unlink()
    dictionary.symlink_to("/etc/passwd")
    with pytest.raises(CatalogError) as raised:
        load_catalog(project_copy)
    (problem,) = raised.value.problems
    assert problem.file == "data/search/jieba-user-dict.txt" and "is a symbolic link" in problem.message


def test_dates_are_checked_in_any_field_and_future_only_for_past_events():
    import datetime

    from macros.catalogue.validate import date_problem

    today = datetime.date(2026, 11, 23)
    assert date_problem("added", "2026-11-23", today) is None
    assert "in the future" in date_problem("reviewed", "2026-11-24", today)
    assert date_problem("last_checked", "2026-11-24", today) is None  # not a past-event field
    assert "not a real date" in date_problem("last_checked", "2026-04-31", today)
    assert "digits 0-9" in date_problem("added", "２０２６-１１-２２", today)
