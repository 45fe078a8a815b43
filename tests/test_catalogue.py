"""The catalogue covers the five source guides, in both languages."""

from __future__ import annotations

import re

import pytest

from conftest import PROJECT_DIR
from macros.catalogue.model import EDITORS
from macros.catalogue.validate import normalize_url, schema_problems
from macros.catalogue.yamlfile import read_yaml

SEEDS_DIR = PROJECT_DIR.parent / "shared" / "seeds"
SEED_SOURCE = {
    "000": "mit-6s191-for-beginners",
    "001": "four-steps-get-started",
    "002": "zhihu-five-months",
    "003": "nnfs-best-resource-2020",
    "004": "sanny-kim-self-study-guide",
}


@pytest.fixture(scope="module")
def seed_links():
    yaml_file = read_yaml(PROJECT_DIR / "data" / "seed-links.yml")
    assert schema_problems("seed-links", yaml_file, "data/seed-links.yml") == []
    return yaml_file.data


def test_every_seed_resource_link_is_in_the_catalogue(catalog, seed_links):
    resource_links = [link for link in seed_links if "resource" in link]
    assert len(resource_links) >= 120
    for link in resource_links:
        resource = catalog.resources.get(link["resource"])
        assert resource, f"{link['url']} names missing resource {link['resource']}"
        address = normalize_url(link.get("now", link["url"]))
        if link["as"] == "url":
            known = {normalize_url(resource.url), *map(normalize_url, resource.previous_urls)}
        else:
            known = {normalize_url(m.url) for m in resource.mirrors if m.kind == link["as"]}
        assert address in known, f"{link['url']} ({link['as']}) is not recorded on {resource.file}"
        assert SEED_SOURCE[link["seed"]] in resource.recommended_by, f"{resource.file} misses seed {link['seed']}"


def test_distinct_resource_urls_from_the_guides(seed_links):
    distinct = {normalize_url(link.get("now", link["url"])) for link in seed_links if "resource" in link}
    assert len(distinct) >= 110


def test_every_catalogue_resource_comes_from_a_guide(catalog, seed_links):
    """Except this guide's own additions (recommended by `editors`, each with its reason)."""
    linked = {link["resource"] for link in seed_links if "resource" in link}
    for resource in catalog.resources.values():
        assert resource.recommended_by, resource.file
    ours = {r.id for r in catalog.resources.values() if EDITORS in r.recommended_by}
    for resource_id in ours - linked:
        assert catalog.resources[resource_id].why is not None, resource_id
    # A few resources are named by a guide without a link; all others are linked.
    assert len(set(catalog.resources) - linked - ours) <= 3


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason="the source guides are not beside this checkout")
def test_every_link_in_the_guides_is_accounted_for(seed_links):
    listed = {link["url"] for link in seed_links} | {link.get("wrapper") for link in seed_links}
    missing = []
    for seed in sorted(SEEDS_DIR.glob("0*.txt")):
        for url in re.findall(r'https?://[^\s)\]>"<]+', seed.read_text(encoding="utf-8")):
            if re.match(r"https?://(www\.)?$", url):  # Zhihu splits link text into spans
                continue
            if url not in listed:
                missing.append(f"{seed.name}: {url}")
    assert missing == []


def test_titles_and_summaries_exist_in_both_languages_and_differ(catalog):
    for resource in catalog.resources.values():
        assert resource.summary.zh != resource.summary.en, resource.file
        assert resource.title.zh != resource.title.en, resource.file
        assert re.search(r"[\u4e00-\u9fff]", resource.summary.zh), f"{resource.file}: Chinese summary has no Chinese"
        assert not re.search(r"[\u4e00-\u9fff]", resource.summary.en), f"{resource.file}: English summary has Chinese"


def test_every_topic_has_resources(catalog):
    for topic_id, resources in catalog.by_topic.items():
        assert resources, f"topic {topic_id} has no resources"


def test_every_path_step_resolves(catalog):
    assert len(catalog.paths) >= 7
    for learning_path in catalog.paths.values():
        for stage in learning_path.stages:
            assert stage.weeks > 0 and stage.steps
            for step in stage.steps:
                assert step.resource in catalog.resources, f"{learning_path.file}: {step.resource}"


@pytest.mark.parametrize("alias", ["花书", "吴恩达", "李飞飞", "3B1B"])
def test_search_aliases_are_recorded(catalog, alias):
    assert any(alias in resource.aliases for resource in catalog.resources.values()), alias


def test_each_resource_file_starts_with_the_schema_comment():
    for path in sorted((PROJECT_DIR / "data" / "resources").glob("*.yml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schema/resource.schema.json", path.name
