"""Loading and validation: each broken input names its file, line and field."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import PROJECT_DIR

from macros.catalogue.load import load_catalog
from macros.catalogue.validate import CatalogError, normalize_url


def first_resource(root):
    return sorted((root / "data" / "resources").glob("*.yml"))[0]


def problems_of(root) -> list[str]:
    with pytest.raises(CatalogError) as raised:
        load_catalog(root)
    return [str(p) for p in raised.value.problems]


def replace_line(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_number(path, startswith):
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(startswith):
            return number
    raise AssertionError(f"no line starting with {startswith!r} in {path}")


def test_real_catalogue_is_valid(catalog):
    assert catalog.resources and catalog.topics and catalog.paths and catalog.sources


def test_unknown_enum_value_names_file_line_field_and_allowed_values(project_copy):
    path = first_resource(project_copy)
    level_line = line_number(path, "level:")
    text = path.read_text(encoding="utf-8").splitlines()
    text[level_line - 1] = "level: expert"
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    (problem,) = problems_of(project_copy)
    assert problem.startswith(f"data/resources/{path.name}:{level_line}: [level]")
    assert "'expert'" in problem and "beginner, intermediate, advanced" in problem


def test_unknown_topic_is_reported(project_copy):
    path = first_resource(project_copy)
    replace_line(path, "topics: [", "topics: [no-such-topic, ")
    (problem,) = problems_of(project_copy)
    assert f"data/resources/{path.name}:{line_number(path, 'topics:')}: [topics.0]" in problem
    assert "unknown topic 'no-such-topic'" in problem


def test_path_step_naming_missing_resource_is_reported(project_copy):
    path = sorted((project_copy / "data" / "paths").glob("*.yml"))[0]
    text = path.read_text(encoding="utf-8")
    first_step = text.index("- resource: ")
    end = text.index("\n", first_step)
    path.write_text(text[:first_step] + "- resource: gone-missing" + text[end:], encoding="utf-8")
    (problem,) = problems_of(project_copy)
    step_line = text[:first_step].count("\n") + 1
    assert problem.startswith(f"data/paths/{path.name}:{step_line}: [stages.")
    assert "gone-missing" in problem and "does not exist" in problem


def test_duplicate_url_after_normalising_scheme_www_and_slash(project_copy):
    resources = sorted((project_copy / "data" / "resources").glob("*.yml"))
    original, copy = resources[0], resources[1]
    original_url = next(l for l in original.read_text(encoding="utf-8").splitlines() if l.startswith("url: "))[5:]
    variant = original_url.replace("https://", "http://").rstrip("/")
    variant = variant.replace("://www.", "://") if "://www." in variant else variant.replace("://", "://www.")
    copy_lines = copy.read_text(encoding="utf-8").splitlines()
    url_line = line_number(copy, "url: ")
    copy_lines[url_line - 1] = f"url: {variant}"
    copy.write_text("\n".join(copy_lines) + "\n", encoding="utf-8")
    problems = problems_of(project_copy)
    assert any(
        p.startswith(f"data/resources/{copy.name}:{url_line}: [url] duplicate URL") and original.name in p for p in problems
    ), problems


def test_id_must_match_file_name(project_copy):
    path = first_resource(project_copy)
    path.rename(path.with_name("renamed-copy.yml"))
    (problem,) = problems_of(project_copy)
    assert "data/resources/renamed-copy.yml" in problem and "must equal the file name" in problem


def test_duplicate_topic_id(project_copy):
    topics = project_copy / "data" / "topics.yml"
    text = topics.read_text(encoding="utf-8")
    second_id = [l for l in text.splitlines() if l.startswith("- id: ")][1]
    topics.write_text(text.replace(second_id, "- id: python", 1), encoding="utf-8")
    problems = problems_of(project_copy)
    assert any("data/topics.yml" in p and "duplicate id 'python'" in p for p in problems), problems


def test_missing_required_field_and_unknown_key(project_copy):
    path = first_resource(project_copy)
    replace_line(path, "\ntitle:", "\ntittle:")
    problems = problems_of(project_copy)
    assert any("[title] missing required field 'title'" in p for p in problems), problems
    assert any(f":{line_number(path, 'tittle:')}: [tittle] unknown field 'tittle'" in p for p in problems), problems


def test_yaml_syntax_error_has_line(project_copy):
    path = first_resource(project_copy)
    path.write_text(path.read_text(encoding="utf-8") + "broken: [unclosed\n", encoding="utf-8")
    (problem,) = problems_of(project_copy)
    assert problem.startswith(f"data/resources/{path.name}:") and "not valid YAML" in problem


def test_every_problem_is_reported_at_once(project_copy):
    resources = sorted((project_copy / "data" / "resources").glob("*.yml"))
    for path in resources[:3]:
        replace_line(path, "\ncost: ", "\ncost: priceless\nold_cost: ")
    problems = problems_of(project_copy)
    assert sum("'priceless' is not allowed" in p for p in problems) == 3


@pytest.mark.parametrize(
    "a, b",
    [
        ("https://www.example.org/course/", "http://example.org/course"),
        ("https://Example.org", "https://example.org/"),
    ],
)
def test_normalize_url_equates(a, b):
    assert normalize_url(a) == normalize_url(b)


def test_normalize_url_keeps_query():
    assert normalize_url("https://youtube.com/watch?v=a") != normalize_url("https://youtube.com/watch?v=b")


READ_IN_A_FRESH_PROCESS = """
import json, multiprocessing, sys
import macros.catalogue.load as load
from macros.catalogue.validate import CatalogError
load.PARALLEL_FROM = int(sys.argv[2])
load.os.cpu_count = lambda: 2  # the rule under test, whatever this machine has
contexts = []
real_context = multiprocessing.get_context
load.multiprocessing.get_context = lambda method: contexts.append(method) or real_context(method)
try:
    load.load_catalog(sys.argv[1])
    problems = []
except CatalogError as error:
    problems = [str(problem) for problem in error.problems]
print(json.dumps({"contexts": contexts, "problems": problems}))
"""


def read_in_a_fresh_process(root, parallel_from):
    # A process of its own: pytest's process runs other threads by now (served sites),
    # and the loader rightly refuses to fork then.
    done = subprocess.run(
        [sys.executable, "-c", READ_IN_A_FRESH_PROCESS, str(root), str(parallel_from)],
        cwd=PROJECT_DIR, capture_output=True, text=True, timeout=120, check=True,
    )
    return json.loads(done.stdout)


def test_two_process_read_reports_the_same_problems_in_the_same_order(project_copy):
    # A large catalogue is read by two processes (macros/catalogue/load.py PARALLEL_FROM):
    # problems in either half reach the report, in file order, with file, line and field.
    files = sorted((project_copy / "data" / "resources").glob("*.yml"))
    for path in (files[1], files[len(files) // 2 + 1], files[-1]):
        replace_line(path, "level:", "level: wizard\nlevel_was:")
    (project_copy / "data" / "resources" / "notes.txt").write_text("x", encoding="utf-8")
    serial = read_in_a_fresh_process(project_copy, 10**9)
    parallel = read_in_a_fresh_process(project_copy, 2)
    assert serial["contexts"] == [] and parallel["contexts"] == ["fork"], "the second process was not used"
    assert parallel["problems"] == serial["problems"] == problems_of(project_copy)
    problems = parallel["problems"]
    assert sum(files[i].name in problem for i in (1, len(files) // 2 + 1, len(files) - 1) for problem in problems) >= 3
    assert any("notes.txt" in problem for problem in problems)


def test_a_process_running_threads_reads_alone(project_copy, monkeypatch):
    # make serve rebuilds while its server threads run: forking then could copy a held lock.
    import threading

    import macros.catalogue.load as load

    monkeypatch.setattr(load, "PARALLEL_FROM", 2)
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    monkeypatch.setattr(load.multiprocessing, "get_context", lambda method: pytest.fail("forked beside a thread"))
    assert load_catalog(project_copy).resources


# -- the fast schema check (jsonschema-rs) ------------------------------------------------

def _schema_of(folder: str, file_name: str) -> str | None:
    """The schema a data file in `folder` (resources, paths, data) is checked against;
    None for files no schema covers (data/search/: read by the search build)."""
    name = {"resources": "resource", "paths": "path"}.get(folder) or Path(file_name).stem
    return name if (PROJECT_DIR / "data" / "schema" / f"{name}.schema.json").exists() else None


def _mutations(data: dict, rng: random.Random, count: int):
    """`count` copies of a resource with one to three values replaced, removed or added:
    edge cases of every type the schemas constrain (blank and overlong text, a trailing
    newline, other scripts' digits, wrong types, numbers JSON cannot hold)."""
    values = ["", " ", "\u3000", "\xa0", "abc\n", "x", "a" * 601, 0, -1, 1.5, True, None, [], {}, ["x"], ["x", "x"],
              [{"a": 1}, {"a": 1}], [1, 1.0], "2026-13-01", "2026-1-01", "\u0662\u0660\u0662\u0664-\u0660\u0661-\u0660\u0661",
              "https://x.org/a b", "ftp://x.org/", "Id-Upper", "ok--id", {"zh": "", "en": "x"}, {"zh": "x"},
              {"zh": "x", "en": "y", "fr": "z"}, 10**30, float("inf"), {1: "x"}, "\u2003", "\uff11\uff12\uff13"]

    def locations(node, prefix=()):
        if prefix:
            yield prefix
        children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in children:
            yield from locations(value, prefix + (key,))

    for _ in range(count):
        copy = json.loads(json.dumps(data))
        for _ in range(rng.randint(1, 3)):
            location = rng.choice(list(locations(copy)))
            parent = copy
            for key in location[:-1]:
                parent = parent[key]
            choice = rng.random()
            if choice < 0.6:
                parent[location[-1]] = rng.choice(values)
            elif isinstance(parent, dict) and choice < 0.8:
                del parent[location[-1]]
            elif isinstance(parent, dict):
                parent[rng.choice(["extra", "url", "id", "year", "zh"])] = rng.choice(values)
        yield copy


def test_the_fast_check_never_passes_what_the_full_check_refuses():
    # A file the fast check passes skips jsonschema: on every data file, every parseable
    # file of the malformed corpus and 20 random mutations of every resource (seeded),
    # a pass must mean jsonschema finds nothing; and the real data passes both.
    from macros.catalogue.validate import _passes_fast_check, schema_validator
    from macros.catalogue.yamlfile import YamlFileError, read_yaml

    cases = []
    for path in sorted((PROJECT_DIR / "data").rglob("*.yml")):
        schema = _schema_of(path.parent.name, path.name)
        if schema:
            data = read_yaml(path).data
            cases.append((schema, data, path.name))
            assert _passes_fast_check(schema, data), path
    for case in yaml.safe_load((PROJECT_DIR / "tests" / "malformed" / "expected.yml").read_text(encoding="utf-8")):
        schema = _schema_of(case["goes_to"].rstrip("/").rsplit("/", 1)[-1], case["file"])
        try:
            data = read_yaml(PROJECT_DIR / "tests" / "malformed" / case["file"]).data
        except YamlFileError:
            continue
        if schema:
            cases.append((schema, data, case["file"]))
    rng = random.Random(12)
    for path in sorted((PROJECT_DIR / "data" / "resources").glob("*.yml")):
        cases += [("resource", data, f"{path.name} mutated") for data in _mutations(read_yaml(path).data, rng, 20)]
    refused = 0
    for schema, data, name in cases:
        errors = list(schema_validator(schema).iter_errors(data)) if data is not None else []
        refused += bool(errors)
        if _passes_fast_check(schema, data):
            assert not errors, (name, errors[0].message)
    assert refused > len(cases) // 2  # the mutations do break files
