"""The catalogue as JSON for the browser: the explorer, path progress and the planner
read this file (written at build time from the validated catalogue), never a copy."""

from __future__ import annotations

import csv
import io
import json

from macros.catalogue.model import Catalog, LearningPath, Resource, step_key
from macros.languages import BY_CODE, CODES
from macros.site.render import template_environment

FORMAT_VERSION = 1


def _search_text(resource: Resource) -> str:
    parts = [
        resource.title.zh, resource.title.en, resource.summary.zh, resource.summary.en,
        resource.provider, *resource.aliases,
    ]
    return " ".join(parts).lower()


def _resource(resource: Resource) -> dict:
    return {
        "id": resource.id,
        "topics": list(resource.topics),
        "type": resource.type,
        "level": resource.level,
        "cost": resource.cost,
        "available": [lang for lang in CODES if resource.available_in(lang)],
        "status": resource.status,
        "superseded_by": resource.superseded_by,
        "text": _search_text(resource),
    }


def _path(learning_path: LearningPath) -> dict:
    return {
        "id": learning_path.id,
        "title": {"zh": learning_path.title.zh, "en": learning_path.title.en},
        "weeks": round(learning_path.weeks, 1),
        "approach": learning_path.approach,
        "cost": learning_path.cost,
        "goals": list(learning_path.goals),
        "ours": learning_path.is_ours,
        "stages": [
            {"weeks": stage.weeks, "steps": [step_key(i, step.resource) for step in stage.steps]}
            for i, stage in enumerate(learning_path.stages)
        ],
    }


def browser_data(catalog: Catalog) -> str:
    data = {
        "format": "dl-guide-catalog",
        "version": FORMAT_VERSION,
        "resources": [_resource(r) for r in sorted(catalog.resources.values(), key=lambda r: r.id)],
        "paths": [_path(p) for p in catalog.paths.values()],
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


# -- Open data: /api/ (written once, by the Chinese build, at the site root) -----------

API_SCHEMA_VERSION = 1
CSV_FIELDS = ["id", "title_zh", "title_en", "summary_zh", "summary_en", "url", "type", "topics", "level",
              "cost", "languages", "subtitles", "provider", "year", "recommended_by", "added", "reviewed",
              "status", "superseded_by", "status_note_zh", "status_note_en", "archive_url", "why_zh", "why_en"]


def _localized(text) -> dict | None:
    return {"zh": text.zh, "en": text.en} if text else None


def resource_record(resource: Resource, catalog: Catalog) -> dict:
    link = catalog.link(resource.url)
    return {
        "id": resource.id,
        "title": {"zh": resource.title.zh, "en": resource.title.en},
        "summary": {"zh": resource.summary.zh, "en": resource.summary.en},
        "url": resource.url,
        "type": resource.type,
        "topics": list(resource.topics),
        "level": resource.level,
        "cost": resource.cost,
        "languages": list(resource.languages),
        "subtitles": list(resource.subtitles),
        "provider": resource.provider,
        "year": resource.year,
        "effort": {"zh": resource.effort.zh, "en": resource.effort.en} if resource.effort else None,
        "mirrors": [
            {"url": m.url, "kind": m.kind, "languages": list(m.languages), "subtitles": list(m.subtitles),
             "label": {"zh": m.label.zh, "en": m.label.en}}
            for m in resource.mirrors
        ],
        "aliases": list(resource.aliases),
        "recommended_by": list(resource.recommended_by),
        "status": resource.status,
        "superseded_by": resource.superseded_by,
        "status_note": _localized(resource.status_note),
        "archive_url": resource.archive_url,
        "why": _localized(resource.why),
        "added": resource.added,
        "reviewed": resource.reviewed,
        "link_status": link.get("status"),
        "link_dead": bool(link.get("dead")),
        "page": {"zh": f"resources/{resource.id}/", "en": f"en/resources/{resource.id}/"},
    }


def api_files(catalog: Catalog, built: str) -> dict[str, str]:
    """File name under api/ -> content. Same data as the pages, from the same catalogue."""
    meta = {"schema_version": API_SCHEMA_VERSION, "built": built, "licence": "CC BY 4.0",
            "licence_url": "https://creativecommons.org/licenses/by/4.0/"}
    resources = [resource_record(r, catalog) for r in sorted(catalog.resources.values(), key=lambda r: r.id)]
    rows = io.StringIO()
    writer = csv.DictWriter(rows, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for record in resources:
        writer.writerow({
            **{key: record[key] for key in CSV_FIELDS if key in record and not isinstance(record[key], (list, dict))},
            "title_zh": record["title"]["zh"], "title_en": record["title"]["en"],
            "summary_zh": record["summary"]["zh"], "summary_en": record["summary"]["en"],
            "topics": ";".join(record["topics"]), "languages": ";".join(record["languages"]),
            "subtitles": ";".join(record["subtitles"]), "recommended_by": ";".join(record["recommended_by"]),
            "year": record["year"] or "",
            "reviewed": record["reviewed"] or "", "superseded_by": record["superseded_by"] or "",
            "archive_url": record["archive_url"] or "",
            **{f"{key}_{lang}": (record[key] or {}).get(lang, "") for key in ("status_note", "why") for lang in CODES},
        })
    topics = [{"id": t.id, "title": {"zh": t.title.zh, "en": t.title.en}, "intro": {"zh": t.intro.zh, "en": t.intro.en},
               "resources": [r.id for r in catalog.by_topic.get(t.id, [])]} for t in catalog.topics.values()]
    paths = []
    for p in catalog.paths.values():
        paths.append({
            "id": p.id, "title": {"zh": p.title.zh, "en": p.title.en}, "summary": {"zh": p.summary.zh, "en": p.summary.en},
            "weeks": round(p.weeks, 1), "approach": p.approach, "cost": p.cost, "goals": list(p.goals), "sources": list(p.sources),
            "ours": p.is_ours,
            "stages": [{"title": {"zh": s.title.zh, "en": s.title.en}, "weeks": s.weeks,
                        "resources": [step.resource for step in s.steps],
                        "today": {step.resource: _localized(step.today) for step in s.steps if step.today}} for s in p.stages],
        })

    def dump(payload) -> str:
        return json.dumps(payload, ensure_ascii=False, indent=1)

    return {
        "resources.json": dump({**meta, "count": len(resources), "resources": resources}),
        "resources.csv": rows.getvalue(),
        "topics.json": dump({**meta, "count": len(topics), "topics": topics}),
        "paths.json": dump({**meta, "count": len(paths), "paths": paths}),
    }


def rss_feed(catalog: Catalog, lang: str, site_url: str, built: str) -> str:
    """RSS 2.0 of the newest resources in one language (templates/feed.xml); links to
    each resource's page."""
    return template_environment().get_template("feed.xml").render(
        language=BY_CODE[lang],
        root=site_url.rstrip("/") + "/",
        title=catalog.ui["recent.feed_title"](lang),
        description=catalog.ui["site.description"](lang),
        built=built,
        resources=catalog.newest(),
    ) + "\n"
