"""`make new-resource`: scaffold data/resources/<id>.yml from a URL and a few answers.

Every answer can also be given as an option (see --help), which is how the tests and
scripts use it. The file is written in the canonical form (schema comment, field order
of the schema) and only when it is valid; a URL already in the catalogue is refused
with the name of the file that has it.
"""

from __future__ import annotations

import argparse
import datetime
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from macros.catalogue.load import PROJECT_DIR, load_catalog
from macros.catalogue.validate import CatalogError, normalize_url, schema_enum, raw_schema
from macros.catalogue.yamlfile import YamlFileError, read_yaml
from macros.languages import CODES

QUESTIONS = [
    # (field, prompt, kind)
    ("title_zh", "Chinese title / 中文标题", "text"),
    ("title_en", "English title / 英文标题", "text"),
    ("summary_zh", "Chinese summary, 1-3 sentences / 中文简介（一到三句）", "text"),
    ("summary_en", "English summary, 1-3 sentences / 英文简介", "text"),
    ("type", "Type / 类型", "type"),
    ("topics", "Topics, comma-separated, main topic first / 主题（逗号分隔，主要主题在前）", "topics"),
    ("level", "Level / 难度", "level"),
    ("cost", "Cost / 费用", "cost"),
    ("languages", "Languages of the material, comma-separated / 资源语言", "languages"),
    ("provider", "Author or organisation / 作者或机构", "text"),
    ("recommended_by", "Recommended by (source ids, comma-separated) / 推荐来源", "sources"),
]
WHY_QUESTIONS = [  # asked only for this guide's own additions (`editors` in recommended_by)
    ("why_zh", "Why the editors add it, in Chinese / 收录理由（中文）", "text"),
    ("why_en", "Why the editors add it, in English / 收录理由（英文）", "text"),
]


class ScaffoldError(Exception):
    pass


def slug_from(url: str, title: str) -> str:
    """A readable id suggestion: from the English title, else from the URL."""
    base = title or (urlsplit(url).hostname or "") + urlsplit(url).path
    slug = re.sub(r"[^a-z0-9]+", "-", base.lower()).strip("-")
    return re.sub(r"-{2,}", "-", slug)[:60].strip("-") or "new-resource"


def _scalar(value) -> str:
    text = yaml.safe_dump(value, allow_unicode=True, width=100000, default_flow_style=True).strip()
    return text[:-4].rstrip() if text.endswith("\n...") else text.removesuffix("...").rstrip()


def dump_resource(data: dict) -> str:
    """The canonical text of a resource file: schema comment, schema field order."""
    order = list(raw_schema("resource")["properties"])
    lines = ["# yaml-language-server: $schema=../schema/resource.schema.json"]
    for key in order:
        if key not in data or data[key] in (None, [], {}):
            continue
        value = data[key]
        if isinstance(value, dict):
            lines.append(f"{key}:")
            lines.extend(f"  {lang}: {_scalar(value[lang])}" for lang in CODES)
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f"{key}:")
            for item in value:
                first = True
                for item_key, item_value in item.items():
                    prefix = "  - " if first else "    "
                    if isinstance(item_value, dict):
                        rendered = "{" + ", ".join(f"{k}: {_scalar(v)}" for k, v in item_value.items()) + "}"
                    elif isinstance(item_value, list):
                        rendered = "[" + ", ".join(_scalar(v) for v in item_value) + "]"
                    else:
                        rendered = _scalar(item_value)
                    lines.append(f"{prefix}{item_key}: {rendered}")
                    first = False
        elif isinstance(value, list):
            lines.append(f"{key}: [" + ", ".join(_scalar(v) for v in value) + "]")
        elif key in ("added", "reviewed"):
            lines.append(f"{key}: {value}")  # data files keep dates as plain YYYY-MM-DD
        else:
            lines.append(f"{key}: {_scalar(value)}")
    return "\n".join(lines) + "\n"


def existing_urls(root: Path) -> dict[str, str]:
    """Normalised URL -> file, read straight from the files so a broken catalogue
    elsewhere does not stop a contributor from adding a resource."""
    urls = {}
    for path in sorted((root / "data" / "resources").glob("*.yml")):
        data = _read_data(path)
        if not isinstance(data, dict):
            continue
        for url in [data.get("url")] + [m.get("url") for m in data.get("mirrors") or [] if isinstance(m, dict)]:
            if isinstance(url, str):
                urls.setdefault(normalize_url(url), f"data/resources/{path.name}")
    return urls


def _read_data(path: Path):
    """A data file's content through the same guarded reader as `make check`, or None."""
    try:
        return read_yaml(path).data
    except (YamlFileError, OSError):
        return None


def _choices(kind: str, root: Path) -> list[str] | None:
    if kind in ("type", "level", "cost"):
        return schema_enum("resource", kind)
    if kind == "languages":
        return list(raw_schema("defs")["$defs"]["language"]["enum"])
    if kind == "topics":
        return [t["id"] for t in _read_data(root / "data" / "topics.yml") or [] if isinstance(t, dict) and "id" in t]
    if kind == "sources":
        return [s["id"] for s in _read_data(root / "data" / "sources.yml") or [] if isinstance(s, dict) and "id" in s]
    return None


def _ask(prompt: str, choices: list[str] | None, many: bool) -> str:
    if choices:
        prompt = f"{prompt}\n  [{' | '.join(choices)}]"
    while True:
        answer = input(f"{prompt}\n> ").strip()
        if not answer:
            print("  (required / 必填)")
            continue
        values = [v.strip() for v in answer.split(",")] if many else [answer]
        unknown = [v for v in values if choices and v not in choices]
        if unknown:
            print(f"  unknown / 不认识: {', '.join(unknown)}")
            continue
        return answer


def build_resource(answers: dict, root: Path, today: str) -> tuple[str, dict]:
    url = answers["url"].strip()
    resource_id = answers.get("id") or slug_from(url, answers["title_en"])
    if (root / "data" / "resources" / f"{resource_id}.yml").exists():
        raise ScaffoldError(f"data/resources/{resource_id}.yml already exists; choose another --id")

    def listed(key: str) -> list[str]:
        return [v.strip() for v in answers[key].split(",") if v.strip()]

    data = {
        "id": resource_id,
        "title": {"zh": answers["title_zh"], "en": answers["title_en"]},
        "summary": {"zh": answers["summary_zh"], "en": answers["summary_en"]},
        "url": url,
        "type": answers["type"],
        "topics": listed("topics"),
        "level": answers["level"],
        "cost": answers["cost"],
        "languages": listed("languages"),
        "provider": answers["provider"],
        "year": int(answers["year"]) if answers.get("year") else None,
        "status": "current",
        "recommended_by": listed("recommended_by"),
        "why": {"zh": answers["why_zh"], "en": answers["why_en"]} if answers.get("why_zh") or answers.get("why_en") else None,
        "added": today,
    }
    return resource_id, data


def validate_new(text: str, resource_id: str, root: Path) -> list[str]:
    """The problems `make check` would report for this file: the same loader, the same
    rules (schema, addresses with data/http-only.yml, topics, sources, duplicates).
    Problems in other files are not this contributor's to fix here."""
    path = root / "data" / "resources" / f"{resource_id}.yml"
    shown = f"data/resources/{resource_id}.yml"
    try:
        load_catalog(root, pending={path: text.encode("utf-8")})
    except CatalogError as error:
        return [str(p) for p in error.problems if p.file == shown]
    return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=PROJECT_DIR, help=argparse.SUPPRESS)
    parser.add_argument("--url")
    parser.add_argument("--id")
    parser.add_argument("--year")
    for field, _, _ in QUESTIONS + WHY_QUESTIONS:
        parser.add_argument("--" + field.replace("_", "-"), dest=field)
    args = parser.parse_args(argv)
    root = args.root
    answers = {k: v for k, v in vars(args).items() if v is not None and k != "root"}
    interactive = sys.stdin.isatty()
    try:
        if "url" not in answers:
            if not interactive:
                raise ScaffoldError("--url is required when not run interactively")
            answers["url"] = _ask("Address (URL) / 资源地址", None, False)
        urls = existing_urls(root)
        if normalize_url(answers["url"]) in urls:
            raise ScaffoldError(f"{answers['url']} is already in the catalogue: {urls[normalize_url(answers['url'])]}")
        for field, prompt, kind in QUESTIONS:
            if field in answers:
                continue
            if not interactive:
                raise ScaffoldError(f"--{field.replace('_', '-')} is required when not run interactively")
            answers[field] = _ask(prompt, _choices(kind, root), kind in ("topics", "languages", "sources"))
        if "editors" in [v.strip() for v in answers["recommended_by"].split(",")]:
            for field, prompt, _ in WHY_QUESTIONS:
                if field not in answers:
                    if not interactive:
                        raise ScaffoldError(f"--{field.replace('_', '-')} is required for a resource recommended by editors")
                    answers[field] = _ask(prompt, None, False)
        resource_id, data = build_resource(answers, root, datetime.date.today().isoformat())
        text = dump_resource(data)
        problems = validate_new(text, resource_id, root)
        if problems:
            raise ScaffoldError("the answers do not make a valid resource:\n  " + "\n  ".join(problems))
    except ScaffoldError as error:
        print(f"Not written: {error}", file=sys.stderr)
        return 1
    path = root / "data" / "resources" / f"{resource_id}.yml"
    path.write_text(text, encoding="utf-8")
    print(f"Wrote data/resources/{resource_id}.yml")
    try:
        load_catalog(root)
    except CatalogError as error:
        print(f"Written, but the catalogue now has problems to fix:\n{error}", file=sys.stderr)
        return 1
    print("Next: `make check`, then `make serve` to see it on both sides of the site.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
