"""Load the data folder into a validated Catalog, or fail with every problem at once."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

from macros import PROJECT_DIR
from macros.forking import second_process_helps

from macros.catalogue.model import EDITORS, Catalog, HostNote, LearningPath, LinkPolicy, Mirror, Resource, Source, Stage, Step, Text, Topic
from macros.catalogue.validate import (
    CatalogError, Problem, bounded, data_problems, normalize_url, schema_problems, translation_problems, url_problems,
)
from macros.languages import CODES
from macros.catalogue.yamlfile import YamlFile, YamlFileError, parse_yaml, read_yaml



def _text(value) -> Text | None:
    return Text(zh=value["zh"].strip(), en=value["en"].strip()) if value else None


def _resource(data: dict, file: str) -> Resource:
    return Resource(
        id=data["id"],
        title=_text(data["title"]),
        summary=_text(data["summary"]),
        url=data["url"],
        type=data["type"],
        topics=tuple(data["topics"]),
        level=data["level"],
        cost=data["cost"],
        languages=tuple(data["languages"]),
        subtitles=tuple(data.get("subtitles", ())),
        provider=data["provider"],
        year=data.get("year"),
        status=data["status"],
        superseded_by=data.get("superseded_by"),
        status_note=_text(data.get("status_note")),
        archive_url=data.get("archive_url"),
        why=_text(data.get("why")),
        effort=_text(data.get("effort")),
        mirrors=tuple(
            Mirror(
                url=m["url"],
                kind=m["kind"],
                languages=tuple(m["languages"]),
                subtitles=tuple(m.get("subtitles", ())),
                label=_text(m["label"]),
            )
            for m in data.get("mirrors", ())
        ),
        previous_urls=tuple(data.get("previous_urls", ())),
        aliases=tuple(data.get("aliases", ())),
        recommended_by=tuple(data["recommended_by"]),
        added=data["added"],
        reviewed=data.get("reviewed"),
        file=file,
    )


def _path(data: dict, file: str) -> LearningPath:
    return LearningPath(
        id=data["id"],
        order=data["order"],
        title=_text(data["title"]),
        summary=_text(data["summary"]),
        why=_text(data["why"]),
        audience=_text(data["audience"]),
        prerequisites=_text(data["prerequisites"]),
        approach=data["approach"],
        cost=data["cost"],
        goals=tuple(data.get("goals", ())),
        sources=tuple(data["sources"]),
        stages=tuple(
            Stage(
                title=_text(s["title"]),
                weeks=s["weeks"],
                duration=_text(s.get("duration")),
                description=_text(s.get("description")),
                steps=tuple(Step(resource=st["resource"], note=_text(st.get("note")), today=_text(st.get("today"))) for st in s["steps"]),
            )
            for s in data["stages"]
        ),
        file=file,
    )


class _Reader:
    """Reads files and collects problems instead of stopping at the first."""

    def __init__(self, root: Path, pending: dict[Path, bytes] | None = None):
        self.root = root
        self.data_dir = (root / "data").resolve()
        self.pending = pending or {}  # files not written yet (make new-resource): path -> bytes
        self.problems: list[Problem] = []

    def display(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)

    def read(self, path: Path, schema: str) -> YamlFile | None:
        """The file if it is readable and matches its schema, else None (problems noted)."""
        try:
            if path in self.pending:
                yaml_file = parse_yaml(self.pending[path], path)
            elif not path.resolve().is_relative_to(self.data_dir):
                raise YamlFileError(path, None, "leads outside data/ through a symbolic link; data files must be regular files inside data/")
            else:
                yaml_file = read_yaml(path)
        except YamlFileError as error:
            self.problems.append(Problem(self.display(path), error.line, error.field, error.message))
            return None
        except OSError as error:
            self.problems.append(Problem(self.display(path), None, "", f"cannot be read: {error.strerror}"))
            return None
        if yaml_file.data is None:
            self.problems.append(Problem(self.display(path), 1, "", "the file is empty"))
            return None
        found = schema_problems(schema, yaml_file, self.display(path))
        found = bounded(found + data_problems(yaml_file, self.display(path)), self.display(path))
        self.problems.extend(found)
        return None if found else yaml_file

    def problem(self, yaml_file: YamlFile, location: tuple, message: str) -> None:
        field = ".".join(str(part) for part in location)
        self.problems.append(Problem(self.display(yaml_file.path), yaml_file.line_of(location), field, message))


# Reading and checking one resource file takes about 0.7 ms; from this many files on, they
# are read by two processes (the build machines have two cores), which at 13,300 files
# saves about four seconds. Below it the whole read takes well under a second and a
# second process would gain less than it costs to start.
PARALLEL_FROM = 1000


def _read_resource_files(reader: _Reader, paths: list[Path]) -> list[YamlFile]:
    files = []
    for path in paths:
        if path.suffix != ".yml":
            reader.problems.append(Problem(reader.display(path), None, "", "resource files must end in .yml"))
            continue
        yaml_file = reader.read(path, "resource")
        if yaml_file is not None:
            files.append(yaml_file)
    return files


def _read_chunk(root: Path, paths: list[Path]) -> tuple[list[YamlFile], list[Problem]]:
    reader = _Reader(root)
    return _read_resource_files(reader, paths), reader.problems


def _read_resources(reader: _Reader, paths: list[Path]) -> list[YamlFile]:
    """Every resource file, read and checked; problems noted on reader, in file order."""
    # Files not written yet (make new-resource) are few and stay in this process.
    if len(paths) < PARALLEL_FROM or reader.pending or not second_process_helps():
        return _read_resource_files(reader, paths)
    half = len(paths) // 2
    with multiprocessing.get_context("fork").Pool(1) as pool:
        second = pool.apply_async(_read_chunk, (reader.root, paths[half:]))
        files = _read_resource_files(reader, paths[:half])
        more_files, more_problems = second.get()
    reader.problems.extend(more_problems)
    return files + more_files


def load_catalog(root: Path = PROJECT_DIR, pending: dict[Path, bytes] | None = None) -> Catalog:
    """Read, validate and cross-check everything under root/data; raise CatalogError.

    `pending` maps files not written yet to their bytes: `make new-resource` checks the
    file it is about to write with exactly these rules."""
    root = Path(root)
    data_dir = root / "data"
    reader = _Reader(root, pending)
    if data_dir.is_symlink():
        reader.problems.append(Problem("data", None, "", "is a symbolic link; data/ must be a folder of the project"))
        raise CatalogError(reader.problems)
    # Nothing outside data/ is read through the data: no link anywhere in it (the build
    # also reads data/search/ and data/schema/, which are not YAML data files).
    for folder, folders, files in os.walk(data_dir):
        for name in folders + files:
            if os.path.islink(os.path.join(folder, name)):
                reader.problems.append(Problem(
                    reader.display(Path(folder) / name), None, "",
                    "is a symbolic link; data/ holds regular files only: copy the file in instead",
                ))

    topics_file = reader.read(data_dir / "topics.yml", "topics")
    sources_file = reader.read(data_dir / "sources.yml", "sources")
    ui_file = reader.read(data_dir / "ui.yml", "ui")
    http_file = reader.read(data_dir / "http-only.yml", "http-only")
    http_hosts = frozenset(entry["host"] for entry in (http_file.data if http_file else []))
    policy_file = reader.read(data_dir / "link-policy.yml", "link-policy")
    status_file = reader.read(data_dir / "link-status.yml", "link-status")

    resource_paths = set((data_dir / "resources").glob("*")) | {p for p in reader.pending if p.parent == data_dir / "resources"}
    resource_stems = {path.stem for path in resource_paths if path.suffix == ".yml"}
    resource_files = _read_resources(reader, sorted(resource_paths))
    path_files = [f for f in (reader.read(p, "path") for p in sorted((data_dir / "paths").glob("*.yml"))) if f]

    topics = _unique_by_id(reader, topics_file, lambda d: Topic(d["id"], _text(d["title"]), _text(d["intro"])))
    sources = _unique_by_id(
        reader,
        sources_file,
        lambda d: Source(
            id=d["id"],
            kind=d.get("kind", "guide"),
            title=_text(d["title"]),
            author=d["author"],
            publisher=d["publisher"],
            year=d.get("year"),
            url=d.get("url"),
            language=d["language"],
            translation=_text(d.get("translation")),
            summary=_text(d["summary"]),
        ),
    )
    ui = {}
    if ui_file is not None:
        for key, value in ui_file.data.items():
            # Not stripped: separators such as ", " keep their spaces.
            if isinstance(value.get("zh"), str):
                ui[key] = Text(**value)
            else:
                for sub_key, sub_value in value.items():
                    ui[f"{key}.{sub_key}"] = Text(**sub_value)

    resources: dict[str, Resource] = {}
    resource_yaml: dict[str, YamlFile] = {}
    seen_urls: dict[str, str] = {}  # normalised URL -> where it was first seen
    for yaml_file in resource_files:
        data = yaml_file.data
        resource = _resource(data, reader.display(yaml_file.path))
        if resource.id != yaml_file.path.stem:
            reader.problem(yaml_file, ("id",), f"id '{resource.id}' must equal the file name '{yaml_file.path.stem}'")
        if resource.id in resources:
            reader.problem(yaml_file, ("id",), f"duplicate id '{resource.id}', also in {resources[resource.id].file}")
        resources[resource.id] = resource
        resource_yaml[resource.id] = yaml_file
        if topics_file is not None:
            for index, topic_id in enumerate(resource.topics):
                if topic_id not in topics:
                    reader.problem(yaml_file, ("topics", index), f"unknown topic '{topic_id}'; known: {', '.join(topics)}")
        if sources_file is not None:
            for index, source_id in enumerate(resource.recommended_by):
                if source_id not in sources:
                    reader.problem(
                        yaml_file, ("recommended_by", index), f"unknown source '{source_id}'; known: {', '.join(sources)}"
                    )
        addresses = [(("url",), resource.url)] + [(("mirrors", i, "url"), m.url) for i, m in enumerate(resource.mirrors)]
        for location, url in addresses:
            for message in url_problems(url, http_hosts):
                reader.problem(yaml_file, location, message)
        for field in ("title", "summary"):
            for lang, message in translation_problems(data[field]):
                reader.problem(yaml_file, (field, lang), message)
        for location, url in addresses:
            key = normalize_url(url)
            if key in seen_urls:
                reader.problem(yaml_file, location, f"duplicate URL {url}: already in {seen_urls[key]}")
            else:
                seen_urls[key] = f"{resource.file} ({'.'.join(map(str, location))})"

    for resource_id, resource in resources.items():
        _check_status(reader, resource_yaml[resource_id], resource, resources)

    paths: dict[str, LearningPath] = {}
    for yaml_file in sorted(path_files, key=lambda f: (f.data["order"], f.data["id"])):
        learning_path = _path(yaml_file.data, reader.display(yaml_file.path))
        if learning_path.id != yaml_file.path.stem:
            reader.problem(yaml_file, ("id",), f"id '{learning_path.id}' must equal the file name '{yaml_file.path.stem}'")
        paths[learning_path.id] = learning_path
        for s_index, stage in enumerate(learning_path.stages):
            for st_index, step in enumerate(stage.steps):
                # A step naming an invalid (already reported) file is not reported again.
                if step.resource not in resources and step.resource not in resource_stems:
                    reader.problem(
                        yaml_file,
                        ("stages", s_index, "steps", st_index, "resource"),
                        f"step names resource '{step.resource}', but data/resources/{step.resource}.yml does not exist",
                    )
                elif step.resource in resources and not resources[step.resource].is_current and step.today is None:
                    reader.problem(
                        yaml_file,
                        ("stages", s_index, "steps", st_index, "resource"),
                        f"resource '{step.resource}' is {resources[step.resource].status}: the step needs a 'today' note "
                        "(zh and en) saying what to take now and how the guide's instruction maps onto it",
                    )
        if sources_file is not None:
            for index, source_id in enumerate(learning_path.sources):
                if source_id not in sources:
                    reader.problem(yaml_file, ("sources", index), f"unknown source '{source_id}'")

    _check_pages(reader, root, "topics", topics)
    _check_pages(reader, root, "paths", paths)

    if reader.problems:
        raise CatalogError(reader.problems)
    policy = None
    if policy_file is not None:
        notes = lambda entries: tuple(HostNote(e["host"], _text(e["reason"])) for e in entries)  # noqa: E731
        policy = LinkPolicy(
            dead_after_failures=policy_file.data["dead_after_failures"],
            review_max_age_days=policy_file.data["review_max_age_days"],
            recent_count=policy_file.data["recent_count"],
            blocked_hosts=notes(policy_file.data["blocked_hosts"]),
            http_only_hosts=notes(http_file.data if http_file else []),
        )
    status = status_file.data if status_file is not None else {"checked": None, "links": {}}
    return Catalog(
        resources=resources, topics=topics, paths=paths, sources=sources, ui=ui, policy=policy,
        link_checked=status["checked"], link_status=dict(status["links"] or {}),
    )


def _check_status(reader: _Reader, yaml_file: YamlFile, resource: Resource, resources: dict[str, Resource]) -> None:
    """Editions and successors: every non-current resource says why and leads somewhere."""
    if resource.status != "current" and resource.status_note is None:
        reader.problem(yaml_file, ("status",), f"status '{resource.status}' needs a 'status_note' (zh and en): what changed and when")
    if resource.status == "superseded" and resource.superseded_by is None:
        reader.problem(yaml_file, ("status",), "status 'superseded' needs 'superseded_by': the id of the resource that replaces it")
    if resource.status == "gone" and resource.archive_url is None:
        reader.problem(yaml_file, ("status",), "status 'gone' needs 'archive_url': an archived copy a reader can still open")
    if resource.status == "current" and resource.superseded_by is not None:
        reader.problem(yaml_file, ("superseded_by",), "a current resource has no successor; set status to superseded, archived or gone, or remove superseded_by")
    if resource.superseded_by is not None:
        if resource.superseded_by not in resources:
            reader.problem(yaml_file, ("superseded_by",), f"unknown resource '{resource.superseded_by}': no data/resources/{resource.superseded_by}.yml")
        else:
            chain = [resource.id]
            successor = resource.superseded_by
            while successor is not None and successor in resources:
                if successor in chain:
                    loop = " → ".join(chain + [successor])
                    reader.problem(yaml_file, ("superseded_by",), f"successors loop back: {loop}; the chain must end at a resource with no successor")
                    break
                chain.append(successor)
                successor = resources[successor].superseded_by
    if EDITORS in resource.recommended_by and resource.why is None:
        reader.problem(yaml_file, ("recommended_by",), f"a resource recommended by '{EDITORS}' needs 'why' (zh and en): why this guide adds it")
    if resource.why is not None and EDITORS not in resource.recommended_by:
        reader.problem(yaml_file, ("why",), f"'why' is for this guide's own additions; add '{EDITORS}' to recommended_by or remove 'why'")


def _unique_by_id(reader: _Reader, yaml_file: YamlFile | None, build) -> dict:
    items: dict = {}
    if yaml_file is None:
        return items
    for index, data in enumerate(yaml_file.data):
        if data["id"] in items:
            reader.problem(yaml_file, (index, "id"), f"duplicate id '{data['id']}'")
        items[data["id"]] = build(data)
    return items


def _check_pages(reader: _Reader, root: Path, folder: str, items: dict) -> None:
    """Every topic and path needs a thin page in each language, or it is unreachable."""
    docs = root / "docs"
    if not docs.is_dir():
        return
    for item_id, item in items.items():
        for lang in CODES:
            page = docs / lang / folder / f"{item_id}.md"
            if not page.is_file():
                where = getattr(item, "file", "") or f"data/{folder}.yml"
                reader.problems.append(
                    Problem(where, None, "id", f"'{item_id}' has no page {reader.display(page)}; copy a sibling page and change the id")
                )
