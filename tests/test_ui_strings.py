"""Every string in data/ui.yml is used, and every string the code names is there.

"Used" is read from the sources (Python, templates, scripts), not from a list kept by hand:
- a quoted key anywhere ('status.archive', "planner.why_fits", Error("progress.reason_json"));
- a key built from a quoted beginning: 'type.' ~ resource.type (Jinja), "goal." + profile.goal
  (JavaScript), f"level.{v}" or f"resource_page.{key}_heading" (Python). The part filled in
  must be a value of the data's schemas (data/schema/*.json enums) or a quoted word of the
  same file (the dictionary keys the code loops over).
Shipping a string to a page script through Renderer.strings(*prefixes) is not a use: the
script has to name it; and every string a script names must be shipped to the page that
loads the script.
"""

from __future__ import annotations

import json
import re

from conftest import PROJECT_DIR

KEY = r"[a-z][a-z0-9_-]*\.[a-z0-9_-]+"
QUOTED_KEY = re.compile(rf"""(['"])({KEY})\1""")
# 'type.' ~ x, "goal." + x, 'status.notice_' ~ x: a quoted beginning joined to a value.
JOINED = re.compile(r"""(['"])([a-z][a-z0-9_-]*\.[a-z0-9_-]*)\1\s*[~+]""")
FORMATTED = re.compile(r"""\bf(['"])([a-z][a-z0-9_-]*\.[^'"{}]*\{[^'"]*)\1""")  # f"level.{v}"
WORD = re.compile(r"""(['"])([a-z][a-z0-9_-]*)\1""")
FILE_NAME = re.compile(r"\.(html|md|js|json|ya?ml|xml|css|py|txt|csv)$")
VALUE = r"(?P<value>[a-z0-9_-]+)"
SHIPPED = re.compile(r"""r\.strings\(([^)]*)\)""")
SCRIPT = re.compile(r"""assets/([a-z-]+\.js)""")


def schema_values() -> set[str]:
    values = set()

    def walk(node):
        if isinstance(node, dict):
            values.update(str(v) for v in node.get("enum", []))
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    for schema in (PROJECT_DIR / "data" / "schema").glob("*.json"):
        walk(json.loads(schema.read_text(encoding="utf-8")))
    return values


def sources() -> dict[str, str]:
    """Every file that can name a UI string: the Python package, its templates, the theme."""
    files = [p for p in (PROJECT_DIR / "macros").rglob("*") if p.suffix in (".py", ".html", ".md", ".xml", ".js")]
    files += [p for p in (PROJECT_DIR / "overrides").rglob("*") if p.suffix in (".html", ".js")]
    return {str(p.relative_to(PROJECT_DIR)): p.read_text(encoding="utf-8") for p in sorted(files) if p.is_file()}


def patterns(text: str) -> dict[str, re.Pattern]:
    """The keys a file builds: the code that builds them -> a pattern whose `value` group
    is the part filled in."""
    found = {m.group(0): re.escape(m.group(2)) + VALUE for m in JOINED.finditer(text)}
    for m in FORMATTED.finditer(text):
        found[m.group(0)] = VALUE.join(re.escape(part) for part in re.split(r"\{[^}]*\}", m.group(2)))
    return {code: re.compile(pattern + r"\Z") for code, pattern in found.items()}


def usage(keys: set[str], files: dict[str, str], values: set[str]) -> tuple[set[str], set[str]]:
    """(keys nothing uses, keys the sources name that do not exist)."""
    groups = {key.split(".")[0] for key in keys}
    used, missing = set(), set()
    for name, text in files.items():
        for m in QUOTED_KEY.finditer(text):
            key = m.group(2)
            if key in keys:
                used.add(key)
            elif key.split(".")[0] in groups and not FILE_NAME.search(key) and not key.endswith(("_", "-")):
                missing.add(f"{key} ({name})")
        words = values | {m.group(2) for m in WORD.finditer(text)}
        for code, pattern in patterns(text).items():
            matched = {key for key in keys if pattern.match(key)}
            if not matched:
                missing.add(f"{code} ({name})")
            used |= {key for key in matched if pattern.match(key).group("value") in words}
    return keys - used, missing


def ui_keys() -> set[str]:
    from macros.catalogue.load import load_catalog

    return set(load_catalog(PROJECT_DIR).ui)


def test_every_ui_string_is_used_and_every_named_one_exists():
    unused, missing = usage(ui_keys(), sources(), schema_values())
    assert not unused, f"data/ui.yml strings nothing uses: {sorted(unused)}"
    assert not missing, f"named in the code but not in data/ui.yml: {sorted(missing)}"


def test_every_string_a_script_names_is_shipped_to_its_page():
    keys, files = ui_keys(), sources()
    checked = 0
    for name, text in files.items():
        shipped = SHIPPED.search(text)
        if not shipped:
            continue
        prefixes = tuple(re.findall(r"""['"]([^'"]+)['"]""", shipped.group(1)))
        for script in SCRIPT.findall(text):
            source = files.get(f"overrides/assets/{script}", "")
            named = {m.group(2) for m in QUOTED_KEY.finditer(source) if m.group(2) in keys}
            named |= {key for p in patterns(source).values() for key in keys if p.match(key)}
            unshipped = sorted(key for key in named if not key.startswith(prefixes))
            assert not unshipped, f"{script} names {unshipped}, which {name} does not ship (r.strings)"
            checked += bool(named)
    assert checked >= 3  # the explorer, progress and planner scripts


def test_the_check_finds_an_unused_string_and_a_missing_one():
    keys = {"type.course", "type.book", "card.level", "card.spare", "status.notice_gone", "page.guide_heading"}
    files = {
        "card.html": "{{ r.ui('type.' ~ resource.type) }} {{ r.ui('card.level') }} {{ r.ui('card.levels') }}"
                     " {{ r.ui('status.notice_' ~ resource.status) }} {% include 'card.html' %}",
        "pages.py": 'SECTIONS = {"guide": 1}\nheading = ui[f"page.{key}_heading"]\nlabel = ui("cost." + value)\n',
    }
    unused, missing = usage(keys, files, values={"course", "book", "gone"})
    assert unused == {"card.spare"}
    assert missing == {"card.levels (card.html)", '"cost." + (pages.py)'}
