"""Typed, validated catalogue objects. Built only by macros.catalogue.load.load_catalog."""

from __future__ import annotations

from dataclasses import dataclass, field

EDITORS = "editors"  # the source id of this guide's own recommendations
STATUSES = ("current", "superseded", "archived", "gone")  # resource.status, in schema order


@dataclass(frozen=True)
class Text:
    """One piece of text in both site languages."""

    zh: str
    en: str

    def __call__(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Mirror:
    url: str
    kind: str  # mirror | translation
    languages: tuple[str, ...]
    subtitles: tuple[str, ...]
    label: Text


@dataclass(frozen=True)
class Resource:
    id: str
    title: Text
    summary: Text
    url: str
    type: str
    topics: tuple[str, ...]
    level: str
    cost: str
    languages: tuple[str, ...]
    subtitles: tuple[str, ...]
    provider: str
    year: int | None
    status: str  # current | superseded | archived | gone
    superseded_by: str | None
    status_note: Text | None
    archive_url: str | None
    why: Text | None  # the editors' reason, for this guide's own additions
    effort: Text | None
    mirrors: tuple[Mirror, ...]
    previous_urls: tuple[str, ...]
    aliases: tuple[str, ...]
    recommended_by: tuple[str, ...]
    added: str
    reviewed: str | None  # None: nobody has checked the facts against the resource's page
    file: str = ""

    @property
    def is_current(self) -> bool:
        return self.status == "current"

    @property
    def anchor(self) -> str:
        return f"r-{self.id}"

    def available_in(self, lang: str) -> bool:
        """True when a reader of `lang` can use it: material, subtitles or a copy."""
        if lang in self.languages or lang in self.subtitles:
            return True
        return any(lang in m.languages or lang in m.subtitles for m in self.mirrors)


@dataclass(frozen=True)
class Topic:
    id: str
    title: Text
    intro: Text


@dataclass(frozen=True)
class Source:
    id: str
    kind: str  # guide | editors
    title: Text
    author: str
    publisher: str
    year: int | None
    url: str | None
    language: str
    translation: Text | None
    summary: Text


@dataclass(frozen=True)
class Step:
    resource: str
    note: Text | None
    today: Text | None  # what to take now, when the guide's instruction no longer holds


@dataclass(frozen=True)
class Stage:
    title: Text
    weeks: float
    duration: Text | None
    description: Text | None
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class LearningPath:
    id: str
    order: int
    title: Text
    summary: Text
    why: Text
    audience: Text
    prerequisites: Text
    approach: str
    cost: str
    goals: tuple[str, ...]
    sources: tuple[str, ...]
    stages: tuple[Stage, ...]
    file: str = ""

    @property
    def weeks(self) -> float:
        return sum(stage.weeks for stage in self.stages)

    @property
    def is_ours(self) -> bool:
        """Made by this guide's editors rather than taken from a published guide."""
        return self.sources == (EDITORS,)


@dataclass(frozen=True)
class HostNote:
    host: str
    reason: Text


@dataclass(frozen=True)
class LinkPolicy:
    dead_after_failures: int
    review_max_age_days: int
    recent_count: int
    blocked_hosts: tuple[HostNote, ...]
    http_only_hosts: tuple[HostNote, ...]


@dataclass
class Catalog:
    resources: dict[str, Resource]
    topics: dict[str, Topic]  # in display order
    paths: dict[str, LearningPath]  # in display order
    sources: dict[str, Source]
    ui: dict[str, Text]
    policy: LinkPolicy | None = None
    link_checked: str | None = None
    link_status: dict[str, dict] = field(default_factory=dict)  # url -> entry of data/link-status.yml
    by_topic: dict[str, list[Resource]] = field(default_factory=dict)

    def link(self, url: str) -> dict:
        return self.link_status.get(url, {})

    def newest(self) -> list[Resource]:
        """The most recently added resources, newest first (recent page and feeds)."""
        ordered = sorted(self.resources.values(), key=lambda r: (r.added, r.id), reverse=True)
        return ordered[: self.policy.recent_count]

    def __post_init__(self) -> None:
        # One pass instead of a scan of every resource per topic page.
        self.by_topic = {topic_id: [] for topic_id in self.topics}
        for resource in sorted(self.resources.values(), key=lambda r: r.title.en.lower()):
            for topic_id in resource.topics:
                self.by_topic.setdefault(topic_id, []).append(resource)


def step_key(stage_index: int, resource_id: str) -> str:
    """Identifies one ticked step of a path in progress files and localStorage."""
    return f"{stage_index + 1}-{resource_id}"
