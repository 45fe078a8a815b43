"""Check raw data files: first against the JSON Schemas, then against each other.

Every check returns Problems instead of raising, so a contributor sees every mistake
in one run, each with its file, line and field.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qsl, urlsplit

import jsonschema_rs
from jsonschema import Draft202012Validator, ValidationError, validators

from macros import PROJECT_DIR
from macros.catalogue.yamlfile import YamlFile

SCHEMA_DIR = PROJECT_DIR / "data" / "schema"


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" [{self.field}]" if self.field else ""
        return f"{where}:{field} {self.message}"


class CatalogError(Exception):
    """The data cannot be built into a site; `problems` says why, all at once."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.field, p.message))
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the catalogue data:\n{lines}")


@lru_cache(maxsize=None)
def raw_schema(name: str) -> dict:
    """A schema as written (for documentation, menus and enums)."""
    return json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))


def _inline_refs(node, defs: dict):
    """The schema with every reference to defs.schema.json replaced by its target.

    Resolving references is most of jsonschema's work per file; inlined, validation is
    about 2.5 times faster. The target's keywords win, so an error still carries the
    description written next to the rule that failed."""
    if isinstance(node, list):
        return [_inline_refs(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref", "")
    if ref.startswith(("defs.schema.json#/$defs/", "#/$defs/")):
        target = _inline_refs(defs[ref.rsplit("/", 1)[1]], defs)
        rest = {key: _inline_refs(value, defs) for key, value in node.items() if key != "$ref"}
        return {**rest, **target}
    return {key: _inline_refs(value, defs) for key, value in node.items()}


def _unique_items(validator, unique, instance, schema):
    """uniqueItems in linear time: jsonschema compares unsortable items (mappings) pair by
    pair, so a list of a thousand mappings took over a minute."""
    if not unique or not validator.is_type(instance, "array"):
        return
    seen = set()
    for item in instance:
        key = json.dumps(item, sort_keys=True, default=repr)
        if key in seen:
            yield ValidationError(f"{instance!r} has non-unique elements")
            return
        seen.add(key)


_Validator = validators.extend(Draft202012Validator, {"uniqueItems": _unique_items})

# A file with more problems than this shows the first ones and how many more there are:
# the time and the output stay bounded whatever the file holds.
MAX_PROBLEMS_PER_FILE = 50


def bounded(problems: list[Problem], display_path: str) -> list[Problem]:
    """The first MAX_PROBLEMS_PER_FILE problems of a file, and a note when there are more."""
    if len(problems) <= MAX_PROBLEMS_PER_FILE:
        return problems
    note = Problem(display_path, None, "", f"has more than {MAX_PROBLEMS_PER_FILE} problems; fix these first")
    return problems[:MAX_PROBLEMS_PER_FILE] + [note]


@lru_cache(maxsize=None)
def schema_validator(name: str) -> Draft202012Validator:
    defs = raw_schema("defs")["$defs"]
    return _Validator(_inline_refs(raw_schema(name), defs))


def schema_enum(name: str, field: str) -> list[str]:
    """The allowed values of a field, in schema order (for menus and filters)."""
    spec = raw_schema(name)["properties"][field]
    return list(spec.get("enum") or spec["items"]["enum"])


def _field_name(location) -> str:
    return ".".join(str(part) for part in location)


def _describe(error) -> tuple[tuple, str]:
    """Turn one jsonschema error into (location, plain-language message)."""
    location = tuple(error.absolute_path)
    value = error.instance
    kind = error.validator
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return location + (missing,), f"missing required field '{missing}'"
    if kind == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        unknown = sorted(set(value) - set(allowed)) if isinstance(value, dict) else []
        name = unknown[0] if unknown else "?"
        return location + (name,), f"unknown field '{name}'; allowed fields: {', '.join(allowed)}"
    if kind == "enum":
        allowed = ", ".join(str(v) for v in error.validator_value)
        return location, f"{value!r} is not allowed; use one of: {allowed}"
    if kind == "type":
        expected = error.validator_value
        got = type(value).__name__.replace("str", "text").replace("dict", "mapping")
        return location, f"expected {expected}, got {got} {value!r}"
    if kind == "pattern":
        described = error.schema.get("description") or f"must match {error.validator_value}"
        if isinstance(value, str) and not value.strip():
            return location, "is empty"
        return location, f"{value!r} is not valid: {described}"
    if kind == "minLength":
        if not value or not str(value).strip():
            return location, "is empty"
        return location, f"is too short ({len(value)} characters, at least {error.validator_value})"
    if kind == "maxLength":
        return location, f"is too long ({len(value)} characters, at most {error.validator_value})"
    if kind == "minItems":
        return location, f"needs at least {error.validator_value} item(s)"
    if kind == "uniqueItems":
        return location, f"lists the same value twice: {value!r}"
    if kind in ("minimum", "maximum", "exclusiveMinimum"):
        return location, f"{value!r} is out of range ({kind} {error.validator_value})"
    if kind == "anyOf" and error.schema.get("anyOf") and "localized" in str(error.schema["anyOf"][0]):
        return location, "must be a {zh, en} pair of texts, or a group of such pairs"
    if kind == "oneOf":
        return location, _one_of_message(error)
    return location, error.message


def _one_of_message(error) -> str:
    """What a oneOf rule allows, read from the rule itself (each schema has its own)."""
    options = []
    for option in error.validator_value:
        if option.get("type") == "null":
            options.append("nothing (null)")
        elif option.get("required"):
            options.append(" and ".join(f"'{name}'" for name in option["required"]))
        else:
            options.append((option.get("description") or option.get("type") or "?").rstrip("."))
    value = error.instance
    shown = f"{value!r} " if not isinstance(value, (dict, list)) else ""
    if all(option.get("required") for option in error.validator_value):
        return f"must have exactly one of: {'; or '.join(options)}"
    return f"{shown}is not valid: must be one of: {'; or '.join(options)}"


@lru_cache(maxsize=None)
def _fast_check(name: str):
    # jsonschema-rs (Rust) answers "valid or not" about sixty times faster than jsonschema
    # (a resource file: 2.4 against 141 microseconds; 13,300 of them: two seconds of a
    # build); jsonschema, with its full errors, still decides every file it does not pass.
    return jsonschema_rs.Draft202012Validator(schema_validator(name).schema)


def _passes_fast_check(name: str, data) -> bool:
    try:
        return _fast_check(name).is_valid(data)
    except Exception:  # a value JSON cannot hold (a key that is not text, a huge number): the full check says why
        return False


def schema_problems(name: str, yaml_file: YamlFile, display_path: str) -> list[Problem]:
    if _passes_fast_check(name, yaml_file.data):
        return []
    problems = []
    for error in schema_validator(name).iter_errors(yaml_file.data):
        if len(problems) > MAX_PROBLEMS_PER_FILE:
            break  # enough to say there are more (see bounded)
        location, message = _describe(error)
        problems.append(Problem(display_path, yaml_file.line_of(location), _field_name(location), message))
    return problems


def normalize_url(url: str) -> str:
    """The form two addresses are compared in: no scheme, no `www.`, no trailing slash."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower()
    if host.startswith("www."):
        host = host[4:]
    path = parts.path.rstrip("/")
    normalized = host + path
    if parts.query:
        normalized += "?" + parts.query
    if parts.fragment:
        normalized += "#" + parts.fragment
    return normalized


URL_SHORTENERS = frozenset({
    "bit.ly", "goo.gl", "t.co", "tinyurl.com", "ow.ly", "is.gd", "buff.ly", "rebrand.ly",
    "cutt.ly", "shorturl.at", "t.cn", "url.cn", "dwz.cn", "suo.im", "youtu.be", "b23.tv", "lnkd.in",
})
TRACKING_PARAMETERS = frozenset({
    "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "spm", "ref_src",
    "share_source", "vd_source", "share_medium", "utm_id",
})


def url_problems(url: str, http_hosts: frozenset[str]) -> list[str]:
    """What is wrong with an address the schema already accepted as http(s)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    problems = []
    if parts.scheme == "http" and host not in http_hosts and host.removeprefix("www.") not in http_hosts:
        problems.append(f"{url!r} uses plain http; use https (or list the host in data/http-only.yml with a reason)")
    if host.removeprefix("www.") in URL_SHORTENERS:
        problems.append(f"{url!r} is a shortened link ({host}); use the address it leads to")
    tracking = sorted(
        name for name, _ in parse_qsl(parts.query, keep_blank_values=True)
        if name.lower().startswith("utm_") or name.lower() in TRACKING_PARAMETERS
    )
    if tracking:
        problems.append(f"{url!r} carries tracking parameters ({', '.join(tracking)}); remove them")
    return problems


_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def translation_problems(text: dict) -> list[tuple[str, str]]:
    """(language, message) for a zh/en pair that is not really in both languages."""
    problems = []
    zh, en = text.get("zh", ""), text.get("en", "")
    if zh.strip() and zh.strip() == en.strip():
        problems.append(("zh", "is the same in zh and en: translate it"))
        return problems
    if zh.strip() and not _HAN.search(zh):
        problems.append(("zh", f"has no Chinese characters: {zh[:60]!r}"))
    han = len(_HAN.findall(en))
    if en.strip() and han > max(2, len(en) // 10):
        problems.append(("en", f"is mostly Chinese: {en[:60]!r}"))
    return problems


# Fields holding the date something was done: a date after today (anywhere on Earth, so
# a contributor east of UTC is not refused at midnight) cannot be true. Any field with
# one of these names is checked, at any depth and in any file.
PAST_DATE_FIELDS = frozenset({"added", "reviewed"})
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_URL_START = re.compile(r"^https?://", re.IGNORECASE)


def latest_today() -> datetime.date:
    """Today's date where it is latest (UTC+14)."""
    return (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=14)).date()


def date_problem(key, value: str, today: datetime.date) -> str | None:
    """What is wrong with a YYYY-MM-DD value: a date that does not exist, or one in the future."""
    match = _DATE.match(value)
    if not match:
        return None
    if not value.isascii():
        return f"{value!r} is not valid: write the date as YYYY-MM-DD with the digits 0-9"
    try:
        date = datetime.date(*(int(part) for part in match.groups()))
    except ValueError as error:
        return f"{value!r} is not a real date ({error}); write an existing date as YYYY-MM-DD"
    if key in PAST_DATE_FIELDS and date > today:
        return (
            f"{value!r} is in the future (the latest date allowed today is {today.isoformat()}); "
            "write the date it happened as YYYY-MM-DD, today or earlier"
        )
    return None


def credentials_problem(url: str) -> str | None:
    """An address with a user name or password in it (https://user:pass@host/)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None  # the schema's address rule reports it
    if "@" not in parts.netloc:
        return None
    shown = f"{parts.scheme}://***@{parts.netloc.rsplit('@', 1)[1]}"
    return (
        f"{shown}... carries a user name or password (user:password@ before the host); "
        "addresses must not carry credentials: write https://host/path"
    )


def data_problems(yaml_file: YamlFile, display_path: str) -> list[Problem]:
    """Rules for any file, whatever its schema: real dates, past dates, no credentials."""
    problems = []
    today = latest_today()

    def walk(value, location: tuple) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, location + (key,))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, location + (index,))
        elif isinstance(value, str):
            key = next((part for part in reversed(location) if isinstance(part, str)), None)
            message = date_problem(key, value, today) if len(value) == 10 else None
            if message is None and _URL_START.match(value):
                message = credentials_problem(value)
            if message and len(problems) <= MAX_PROBLEMS_PER_FILE:
                problems.append(Problem(display_path, yaml_file.line_of(location), _field_name(location), message))

    walk(yaml_file.data, ())
    return problems
