"""The resource fields as documentation rows, read from the JSON Schema so the
contributor guide (site page and CONTRIBUTING files) can never drift from it."""

from __future__ import annotations

from dataclasses import dataclass

from macros.catalogue.validate import raw_schema
from macros.languages import CODES

FORMATS = {
    "zh": {
        "localized": "中英文各一段文字（zh、en）",
        "url": "http(s) 地址",
        "date": "日期，YYYY-MM-DD",
        "id": "小写字母、数字和连字符",
        "integer": "整数 {minimum}–{maximum}",
        "text": "文字",
        "list": "列表：{item}",
        "mirror": "列表，每项含 url、kind（mirror | translation）、languages、label",
    },
    "en": {
        "localized": "text in Chinese and English (zh, en)",
        "url": "http(s) address",
        "date": "date, YYYY-MM-DD",
        "id": "lowercase letters, digits and hyphens",
        "integer": "whole number {minimum}–{maximum}",
        "text": "text",
        "list": "list of: {item}",
        "mirror": "list; each item has url, kind (mirror | translation), languages, label",
    },
}


@dataclass(frozen=True)
class FieldDoc:
    name: str
    required: bool
    allowed: str
    description: str


def _describe_value(spec: dict, lang: str) -> str:
    words = FORMATS[lang]
    ref = spec.get("$ref", "")
    if "enum" in spec:
        return " | ".join(spec["enum"])
    for key in ("localized", "url", "date", "id"):
        if ref.endswith(f"/{key}"):
            return words[key]
    if ref.endswith("/language"):
        return " | ".join(_language_codes())
    if spec.get("type") == "integer":
        return words["integer"].format(minimum=spec.get("minimum", ""), maximum=spec.get("maximum", ""))
    if spec.get("type") == "array":
        items = spec.get("items", {})
        if items.get("type") == "object":
            return words["mirror"]
        return words["list"].format(item=_describe_value(items, lang))
    if spec.get("type") == "object" and set(spec.get("properties", {})) == set(CODES):
        return words["localized"]
    return words["text"]


def _language_codes() -> list[str]:
    defs = raw_schema("defs")["$defs"]
    return defs["language"]["enum"]


def resource_fields(lang: str) -> list[FieldDoc]:
    schema = raw_schema("resource")
    required = set(schema["required"])
    rows = []
    for name, spec in schema["properties"].items():
        description = spec.get("x-description-zh") if lang == "zh" else spec.get("description")
        rows.append(FieldDoc(name, name in required, _describe_value(spec, lang), description or ""))
    return rows
