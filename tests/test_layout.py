"""The code's layout holds: the package is importable without path tricks, MkDocs finds the
guide plugin by its entry point, and the language table agrees with the MkDocs configs."""

from __future__ import annotations

import re
from importlib.metadata import entry_points
from pathlib import Path

import yaml

from conftest import PROJECT_DIR
from macros.languages import LANGUAGES, ROOT


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml uses a Python tag for the slugify function; only the keys matter here."""


_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def _config(name: str) -> dict:
    return yaml.load((PROJECT_DIR / name).read_text(encoding="utf-8"), Loader=_ConfigLoader)


def test_no_code_patches_the_import_path():
    offenders = []
    for folder in ("macros", "tests"):
        for path in (PROJECT_DIR / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if path.name != "test_layout.py" and re.search(r"sys\.path\.(insert|append)", text):
                offenders.append(str(path.relative_to(PROJECT_DIR)))
    assert offenders == []


def test_mkdocs_finds_the_guide_plugin_by_its_entry_point():
    plugins = {entry.name: entry.value for entry in entry_points(group="mkdocs.plugins")}
    assert plugins.get("guide") == "macros.site.plugin:GuidePlugin"
    config = _config("mkdocs.yml")
    assert "hooks" not in config
    names = [next(iter(p)) if isinstance(p, dict) else p for p in config["plugins"]] if isinstance(config["plugins"], list) \
        else list(config["plugins"])
    # Listed before Material's search plugin, whose separator it sets from the language table.
    assert names.index("guide") < names.index("search")


def test_every_language_has_a_config_and_pages():
    assert ROOT.prefix == ""
    for language in LANGUAGES:
        config = _config(language.config)
        inherited = _config(config["INHERIT"]) if "INHERIT" in config else {}
        theme = {**inherited.get("theme", {}), **config.get("theme", {})}
        assert theme["language"] == language.code, language.config
        assert (PROJECT_DIR / language.docs_dir / "index.md").is_file()
        if language is not ROOT:
            assert config["INHERIT"] == ROOT.config
            assert config["site_dir"].rstrip("/") == "site/" + language.prefix.rstrip("/")


def test_a_project_copy_runs_its_own_code(tmp_path):
    """Tests and `make bench` change a copy of the project and build it: the copy's modules,
    not the installed checkout's, must be the ones that run."""
    import subprocess
    import sys

    from conftest import copy_project

    project = copy_project(tmp_path / "project")
    shown = subprocess.run(
        [sys.executable, "-c", "import macros.site.plugin, macros.tools.build; "
                               "print(macros.site.plugin.__file__); print(macros.tools.build.__file__)"],
        cwd=project, capture_output=True, text=True, check=True,
    ).stdout.split()
    assert all(Path(path).resolve().is_relative_to(project.resolve()) for path in shown), shown
