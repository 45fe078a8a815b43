"""The catalogue as JSON for the browser: the explorer, path progress and the planner
read this file (written at build time from the validated catalogue), never a copy."""

from __future__ import annotations

import json

from .model import Catalog, LearningPath, Resource

FORMAT_VERSION = 1


def step_key(stage_index: int, resource_id: str) -> str:
    """Identifies one ticked step of a path in progress files and localStorage."""
    return f"{stage_index + 1}-{resource_id}"


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
        "available": [lang for lang in ("zh", "en") if resource.available_in(lang)],
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
