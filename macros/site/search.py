"""Site search (issue #11): a Pagefind index per language, with one Chinese segmentation
shared by the index and the reader's queries.

Run by scripts/build.py after both MkDocs builds, on the staging folder:

- Pages come from the index Material's search plugin writes (its text already leaves out
  what templates mark `data-search-exclude`); resource cards are left out of the pages
  and become records of their own, so a resource's card ranks above a page that only
  mentions it. A resource with its own page (resources/<id>/) is indexed at that page.
- Chinese: a segmenter (rjieba; jieba or jieba-next on request) finds the words of every Chinese text on the
  site. Those words are the vocabulary; every run of Han characters, in the index and in
  the query (search_worker.js, the same algorithm), is cut by the fewest vocabulary words.
  The same string is therefore cut the same way on both sides, and the vocabulary ships
  with the search (search/vocabulary.txt, fetched by the worker when search is opened).
- English: Pagefind's English stemmer, applied by Pagefind to the index and the query.
- Synonyms (data/search/synonyms.yml) are added as hidden, weighted text to every record
  that holds one of a group's names, in both languages.
- Material's lunr worker is replaced by search_worker.js, which answers Material's
  search UI with Pagefind's results: the header search looks and works as before.

The build fails when Chinese segmentation is not active (SearchBuildError).
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from macros import PROJECT_DIR
from macros import languages
from macros.catalogue.model import Catalog, Resource

SEARCH_DATA = PROJECT_DIR / "data" / "search"
WORKER_SOURCE = Path(__file__).resolve().parent / "search_worker.js"
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
TAG = re.compile(r"<[^>]+>")
MAX_WORD = 8  # longest vocabulary word, in characters (the query side uses the same limit)
BUNDLE = "pagefind"  # the folder of each language's index, next to its index.html
VOCABULARY = "search/vocabulary.txt"  # one word a line, at the site root: both languages' queries are cut with it


class SearchBuildError(Exception):
    """The search index cannot be built as it must be (e.g. no Chinese segmentation)."""


# -- segmentation -------------------------------------------------------------------

def _jieba_cutter():
    try:
        import logging

        import jieba
    except Exception as error:  # jieba 0.42 imports pkg_resources, absent without setuptools
        raise SearchBuildError(
            f"Chinese segmentation is not active: `import jieba` failed ({type(error).__name__}: {error}). "
            "Install it, or build with the default segmenter (rjieba, in requirements.txt)."
        ) from error
    jieba.setLogLevel(logging.WARNING)
    # The default tokenizer: Material's search plugin has usually loaded its dictionary.
    jieba.load_userdict(str(SEARCH_DATA / "jieba-user-dict.txt"))
    return lambda text: jieba.lcut(text, HMM=True)


def _rjieba_cutter():
    try:
        import rjieba
    except Exception as error:
        raise SearchBuildError(
            f"Chinese segmentation is not active: `import rjieba` failed ({type(error).__name__}: {error}). "
            "Install the pinned requirements (make build does)."
        ) from error
    user_words = [line.split()[0] for line in (SEARCH_DATA / "jieba-user-dict.txt").read_text(encoding="utf-8").splitlines() if line.strip()]

    def cut(text: str) -> list[str]:
        # rjieba has no user dictionary: keep the field terms whole, cut what lies between.
        words: list[str] = []
        pattern = "|".join(sorted(map(re.escape, user_words), key=len, reverse=True))
        position = 0
        for match in re.finditer(pattern, text):
            words += rjieba.cut(text[position:match.start()]) if match.start() > position else []
            words.append(match.group(0))
            position = match.end()
        return words + (rjieba.cut(text[position:]) if position < len(text) else [])

    return cut


def _jieba_next_cutter():
    try:
        import jieba_next
    except Exception as error:
        raise SearchBuildError(f"Chinese segmentation is not active: `import jieba_next` failed ({error})") from error
    jieba_next.load_userdict(str(SEARCH_DATA / "jieba-user-dict.txt"))
    return lambda text: jieba_next.lcut(text, HMM=True)


# Measured on data/search/eval.yml (bench/results.md): the three gave the same 1,875-word
# vocabulary and the same figures. rjieba is the default: a maintained binding of
# jieba-rs, a stable release, and no pkg_resources import (jieba 0.42.1 fails to import in
# a Python 3.12+ environment without setuptools). The choice only changes the vocabulary;
# the cut itself is Segmenter's, in Python and in the browser alike. Only rjieba is in
# requirements.txt; DL_SEGMENTER=jieba or jieba-next uses the other if it is installed.
SEGMENTERS = {"jieba": _jieba_cutter, "rjieba": _rjieba_cutter, "jieba-next": _jieba_next_cutter}
DEFAULT_SEGMENTER = "rjieba"  # see SEGMENTERS


def load_cutter(name: str = DEFAULT_SEGMENTER):
    """The segmenter, checked to be segmenting: the build stops if it is not."""
    if name not in SEGMENTERS:
        raise SearchBuildError(f"unknown Chinese segmenter {name!r}; known: {', '.join(SEGMENTERS)}")
    cut = SEGMENTERS[name]()
    probe = "神经网络与深度学习需要的矩阵微积分"
    words = [w for w in cut(probe) if w.strip()]
    if len(words) < 4 or "深度学习" not in words:
        raise SearchBuildError(
            f"Chinese segmentation is not active: {name} cut {probe!r} into {words!r}; "
            "without segmentation Chinese sentences would be indexed whole and most Chinese queries would find nothing."
        )
    return cut


class Segmenter:
    """Fewest-words segmentation over a fixed vocabulary. search_worker.js implements
    the same algorithm, so a string is cut identically at index and at query time."""

    def __init__(self, vocabulary: set[str]):
        self.vocabulary = {w for w in vocabulary if 2 <= len(w) <= MAX_WORD and HAN.fullmatch(w)}
        self._cuts: dict[str, list[str]] = {}  # the same phrases recur across pages and records

    def cut_run(self, run: str) -> list[str]:
        cut = self._cuts.get(run)
        if cut is None:
            cut = self._cuts[run] = self._cut(run)
        return cut

    def _cut(self, run: str) -> list[str]:
        n = len(run)
        cost = [0] * (n + 1)
        step = [1] * (n + 1)
        for i in range(n - 1, -1, -1):
            cost[i], step[i] = cost[i + 1] + 1, 1
            for j in range(min(n, i + MAX_WORD), i + 1, -1):  # longest first: ties keep the longer word
                if run[i:j] in self.vocabulary and cost[j] + 1 < cost[i]:
                    cost[i], step[i] = cost[j] + 1, j - i
        words, i = [], 0
        while i < n:
            words.append(run[i:i + step[i]])
            i += step[i]
        return words

    def spaced(self, text: str) -> str:
        """Text with every Han run cut into words separated by spaces."""
        return HAN.sub(lambda m: " " + " ".join(self.cut_run(m.group(0))) + " ", text)


def vocabulary_from(texts, cut) -> set[str]:
    runs = {run for text in set(texts) for run in HAN.findall(text)}  # each distinct run cut once
    words: set[str] = set()
    for run in runs:
        words.update(w for w in cut(run) if len(w) >= 2 and HAN.fullmatch(w))
    return words


# -- synonyms -------------------------------------------------------------------------

def load_synonyms(path: Path = SEARCH_DATA / "synonyms.yml") -> list[list[str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    groups = data.get("groups") if isinstance(data, dict) else None
    if not isinstance(groups, list) or not all(isinstance(g, list) and len(g) >= 2 and all(isinstance(t, str) and t.strip() for t in g) for g in groups):
        raise SearchBuildError(f"{path}: `groups` must be a list of lists of at least two names")
    return [[t.strip() for t in g] for g in groups]


def _normalise(name: str) -> str:
    return re.sub(r"[\W_]+", "", name.casefold())


def _name_pattern(name: str) -> str:
    """A name as it may occur in text: Chinese anywhere, other names as whole words in any case."""
    if HAN.search(name):
        return "(?:" + re.escape(name) + ")"
    return r"(?i:(?<![\w.])" + re.escape(name) + r"(?![\w]))"


@dataclass
class SynonymTable:
    groups: list[list[str]]
    patterns: list[re.Pattern] = field(default_factory=list)
    lowered: list[list[str]] = field(default_factory=list)
    normalised: list[set[str]] = field(default_factory=list)

    def __post_init__(self):
        # One pattern per group (its names as alternatives), tried only when one of the
        # names occurs in the text at all: a regular-expression search per name and text
        # was a fifth of the build at 10x the catalogue.
        self.patterns = [re.compile("|".join(_name_pattern(t) for t in g)) for g in self.groups]
        self.lowered = [[t.lower() for t in g] for g in self.groups]
        self.normalised = [{_normalise(t) for t in g} for g in self.groups]

    def same_as(self, names: list[str]) -> list[str]:
        """Every name of every group that has one of `names` as a whole name: the other
        names of this very thing (a title that only mentions a name gets none)."""
        wanted = {_normalise(n) for n in names}
        return [n for g, normalised in zip(self.groups, self.normalised) if not wanted.isdisjoint(normalised) for n in g]

    def expand(self, text: str) -> list[str]:
        """Every name of every group one of whose names occurs in text."""
        names: list[str] = []
        low = text.lower()
        for group, lowered, pattern in zip(self.groups, self.lowered, self.patterns):
            if any(name in low for name in lowered) and pattern.search(text):
                names += group
        return names


# -- records --------------------------------------------------------------------------

def _plain(text: str) -> str:
    return html.unescape(TAG.sub(" ", text)).replace("\u200b", "")


@dataclass
class Record:
    url: str  # relative to the language root, as Material's search UI expects
    kind: str  # resource | topic | path | page
    title: str
    names: list[str]  # what counts as this record's name (exact title match ranks first)
    fields: list[tuple[float, str]]  # (weight, text) in the order indexed; the first is the title
    aka: list[str] = field(default_factory=list)  # synonyms of those names (data/search/synonyms.yml)
    sections: list[tuple[str, str, str]] = field(default_factory=list)  # (anchor, title, text)
    description: str = ""


def resource_url(resource: Resource, resource_pages: bool) -> str:
    """Its own page, or its card on its first topic's page in a build without them."""
    return f"resources/{resource.id}/" if resource_pages else f"topics/{resource.topics[0]}/#{resource.anchor}"


def resource_synonyms(resource: Resource, synonyms: SynonymTable) -> tuple[list[str], list[str]]:
    """The synonyms a resource's record carries, the same in both languages: those of
    its names (strong) and those only its summaries mention (weak)."""
    codes = [language.code for language in languages.LANGUAGES]
    names_text = " | ".join([*(resource.title(code) for code in codes), *resource.aliases, resource.provider])
    strong = synonyms.expand(names_text)
    weak = [n for n in synonyms.expand(" ".join(resource.summary(code) for code in codes)) if n not in strong]
    return strong, weak


def resource_record(resource: Resource, lang: str, resource_pages: bool, synonyms: SynonymTable,
                    expanded: tuple[list[str], list[str]]) -> Record:
    """expanded: resource_synonyms(resource, synonyms), worked out once for both languages."""
    other = languages.other(lang).code
    title, other_title = resource.title(lang), resource.title(other)
    strong, weak = expanded
    return Record(
        url=resource_url(resource, resource_pages),
        kind="resource",
        title=title,
        names=[title, other_title, *resource.aliases, resource.provider],
        aka=synonyms.same_as([title, other_title, *resource.aliases]),
        fields=[(10.0, title), (9.0, " · ".join(resource.aliases)), (8.0, other_title), (6.0, resource.provider),
                (5.0, " · ".join(strong)), (1.0, resource.summary(lang)),
                (1.0, " · ".join(m.label(lang) for m in resource.mirrors)), (0.5, " · ".join(weak))],
        description=resource.summary(lang),
    )


def page_records(index: dict, catalog: Catalog, lang: str, synonyms: SynonymTable) -> list[Record]:
    """One record per page of Material's index, its non-card sections as sub-results."""
    pages: dict[str, Record] = {}
    topic_titles = {f"topics/{t.id}/": t for t in catalog.topics.values()}
    path_titles = {f"paths/{p.id}/": p for p in catalog.paths.values()}
    for doc in index["docs"]:
        location = doc["location"]
        page, _, anchor = location.partition("#")
        if page.startswith("resources/"):
            continue  # a resource's own page: indexed as its resource record
        title, text = _plain(doc["title"]).strip(), _plain(doc.get("text", ""))
        if not anchor:
            kind = "topic" if page in topic_titles else "path" if page in path_titles else "page"
            names = [title]
            if page in topic_titles:
                names.append(topic_titles[page].title(languages.other(lang).code))
            if page in path_titles:
                names.append(path_titles[page].title(languages.other(lang).code))
            strong = synonyms.expand(" | ".join(names))
            pages[page] = Record(url=page, kind=kind, title=title, names=names, aka=synonyms.same_as(names),
                                 fields=[(10.0, title), (8.0, " · ".join(names[1:])), (7.0, " · ".join(synonyms.same_as(names))),
                                         (4.0, " · ".join(strong)), (1.0, text)],
                                 description=text)
        elif anchor.startswith("r-"):
            continue  # a resource card: its own record
        elif page in pages:
            pages[page].sections.append((anchor, title, text))
    for record in pages.values():
        body = " ".join(t for _, _, t in record.sections) + " " + record.description
        weak = [n for n in synonyms.expand(body) if n not in record.fields[3][1]]
        record.fields.append((0.5, " · ".join(weak)))
    return list(pages.values())


def record_html(record: Record, lang: str, seg: Segmenter) -> str:
    """The HTML Pagefind indexes for one record. Data text is escaped; Chinese is cut."""
    def text(value: str) -> str:
        return html.escape(seg.spaced(value), quote=False)

    def attr(value: str) -> str:
        return html.escape(value, quote=True)

    meta = {"title": record.title, "kind": record.kind, "names": "\u241e".join(record.names),
            "aka": "\u241e".join(record.aka), "url": record.url,
            "description": record.description[:300]}
    parts = [f'<html lang="{lang}"><head><title>{attr(record.title)}</title></head><body>']
    parts += [f'<span data-pagefind-meta="{key}:{attr(value)}"></span>' for key, value in meta.items() if key != "title"]
    parts.append(f'<h1 data-pagefind-meta="title:{attr(record.title)}" data-pagefind-weight="10">{text(record.title)}</h1>')
    for weight, value in record.fields[1:]:
        if value.strip():
            parts.append(f'<p data-pagefind-weight="{weight}">{text(value)}</p>')
    for anchor, title, body in record.sections:
        parts.append(f'<h2 id="{attr(anchor)}">{text(title)}</h2><p>{text(body)}</p>')
    parts.append("</body></html>")
    return "".join(parts)


# -- the build step -------------------------------------------------------------------

def _pagefind_executable() -> str:
    try:
        from pagefind_bin import get_executable
    except ImportError as error:
        raise SearchBuildError(f"the Pagefind binary is missing ({error}): install the pinned requirements (pagefind_bin)") from error
    return str(get_executable())


def _records_folder(sides: dict[str, tuple[list[Record], Path]]) -> str | None:
    """Where the records Pagefind reads are written and deleted again: memory-backed
    /dev/shm when it is there with room to spare, else the usual temporary folder.
    Creating a file on this project's build machines took 0.1-0.4 ms on disk and
    0.016 ms in /dev/shm; a 100x catalogue writes 26,600 records."""
    shm = Path("/dev/shm")
    # A record is about 4 KB; ask for eight times what they take, room left for others.
    wanted = 8 * 4 * 1024 * sum(len(records) for records, _ in sides.values())
    try:
        if shm.is_dir() and os.access(shm, os.W_OK | os.X_OK) and shutil.disk_usage(shm).free > wanted:
            return str(shm)
    except OSError:
        pass
    return None


# Pagefind's indexer holds about 90 KB per record in memory (2,660 records: 239 MB; 13,300:
# 1.2 GB). A language with more records than this is indexed in shards of at most this
# many, at most INDEXERS at a time; search_worker.js searches every shard and merges
# the results by score (not with Pagefind's mergeIndex, which in 1.5.2 dropped a
# shard's results for queries of many words). Today's catalogue is one shard per
# language, so its ranking is Pagefind's own; shards rank each record against its own
# shard's statistics.
SHARD_RECORDS = int(os.environ.get("DL_SEARCH_SHARD", "3500"))
INDEXERS = 2  # the build machines' cores


def shard_sizes(count: int, most: int | None = None) -> list[int]:
    """Records per shard: as few shards as `most` (SHARD_RECORDS) allows, of nearly equal size."""
    most = most or SHARD_RECORDS
    shards = max(1, -(-count // max(1, most)))
    return [count // shards + (1 if n < count % shards else 0) for n in range(shards)]


def _write_pagefind(sides: dict[str, tuple[list[Record], Path]], seg: Segmenter) -> dict[str, int]:
    """Pagefind's command-line indexer over one HTML file per record (faster than its
    Python service, which answers one file at a time); languages and shards are indexed
    side by side, INDEXERS processes at a time. sides: lang -> (records, output folder).
    Returns the records indexed per language; each language's shards beyond the first
    are in <output>-<n>/ (pagefind-1/, ...), beside the first.

    A shard's records are written just before its indexer starts, so that writing the
    next shards (cutting Chinese, a core's work) overlaps the indexers already running."""
    with tempfile.TemporaryDirectory(prefix="dl-search-", dir=_records_folder(sides)) as folder:
        jobs = []  # (lang, the shard's records, their HTML folder, the shard's bundle folder)
        for lang, (records, output) in sides.items():
            shards = len(shard_sizes(len(records)))
            for number in range(shards):
                # Every shards-th record: each shard is a like sample of the whole
                # (pages and resources, every topic), so that the term statistics each
                # shard ranks by are close to the whole index's.
                jobs.append((lang, records[number::shards], Path(folder) / lang / str(number),
                             output if number == 0 else output.with_name(f"{output.name}-{number}")))
        failures = []
        waiting, running = list(jobs), []
        try:
            while waiting or running:
                while waiting and len(running) < INDEXERS:
                    job = waiting.pop(0)
                    running.append((job, _start_indexer(job, seg)))
                job, process = running.pop(0)  # in start order: each is about as long as the others
                stdout, stderr = process.communicate()
                if process.returncode:
                    failures.append(f"Pagefind failed for {job[0]}: {stderr.strip() or stdout.strip()}")
                shutil.rmtree(job[2], ignore_errors=True)  # its records: room in /dev/shm for the next
        except BaseException:  # a record that could not be written, or Ctrl-C: no indexer left behind
            for _, process in running:
                process.kill()
                process.wait()
            raise
    if failures:
        raise SearchBuildError("; ".join(failures))
    counts: dict[str, int] = {}
    for lang, shard, _, output in jobs:
        size = len(shard)
        entry = json.loads((output / "pagefind-entry.json").read_text(encoding="utf-8"))
        pages = sum(language["page_count"] for language in entry["languages"].values())
        if pages != size:
            raise SearchBuildError(f"Pagefind indexed {pages} of {size} {lang} records in {output}")
        for unused in ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
                       "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js"):
            (output / unused).unlink(missing_ok=True)
        counts[lang] = counts.get(lang, 0) + size
    return counts


def _start_indexer(job: tuple[str, list[Record], Path, Path], seg: Segmenter) -> subprocess.Popen:
    """Write one shard's records (lang, records, their HTML folder, the bundle's folder)
    and start Pagefind over them."""
    lang, shard, pages, output = job
    pages.mkdir(parents=True)
    for position, record in enumerate(shard):
        # One flat file per record (a folder each cost a directory per record):
        # a record's address is its `url` meta, not where its file lies.
        (pages / f"{position}.html").write_text(record_html(record, lang, seg), encoding="utf-8")
    return subprocess.Popen(
        [_pagefind_executable(), "--site", str(pages), "--output-path", str(output), "--force-language", lang,
         "--include-characters", "._+#", "--silent"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def check_search_tools(segmenter: str = DEFAULT_SEGMENTER):
    """Run before MkDocs starts: the Pagefind binary is there and Chinese is segmented."""
    _pagefind_executable()
    return load_cutter(segmenter)


def build_search(staging: Path, catalog: Catalog, cut, resource_pages: bool = True) -> dict:
    """Index both languages of the site in `staging` (cut: from check_search_tools).
    resource_pages: the build has them (they may still be being written), so results
    lead there rather than to the cards."""
    synonyms = SynonymTable(load_synonyms())
    sides = {language.code: staging / language.prefix for language in languages.LANGUAGES}
    indexes = {lang: json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8")) for lang, site in sides.items()}
    expanded = {r.id: resource_synonyms(r, synonyms) for r in catalog.resources.values()}
    records = {lang: page_records(indexes[lang], catalog, lang, synonyms)
               + [resource_record(r, lang, resource_pages, synonyms, expanded[r.id]) for r in catalog.resources.values()]
               for lang in sides}
    texts = [value for rs in records.values() for r in rs for _, value in r.fields]
    texts += [t for rs in records.values() for r in rs for s in r.sections for t in s[1:]]
    texts += [n for g in synonyms.groups for n in g]
    user_words = {line.split()[0] for line in (SEARCH_DATA / "jieba-user-dict.txt").read_text(encoding="utf-8").splitlines() if line.strip()}
    vocabulary = vocabulary_from(texts, cut) | {w for w in user_words if HAN.fullmatch(w)}
    vocabulary |= {n for g in synonyms.groups for n in g if HAN.fullmatch(n)}
    seg = Segmenter(vocabulary)
    figures = {"vocabulary": len(seg.vocabulary)}
    worker = WORKER_SOURCE.read_text(encoding="utf-8")
    for site in sides.values():
        for stale in [site / BUNDLE, *site.glob(f"{BUNDLE}-*")]:
            shutil.rmtree(stale, ignore_errors=True)
    figures.update(_write_pagefind({lang: (records[lang], site / BUNDLE) for lang, site in sides.items()}, seg))
    for lang, site in sides.items():
        _install_worker(site, worker, lang, seg, indexes[lang]["config"])
    return figures


def _install_worker(site: Path, worker: str, lang: str, seg: Segmenter, config: dict) -> None:
    """Material's search UI talks to a worker whose address is in every page: put ours
    there, and give it its settings in the file Material fetches on every page load
    (search/search_index.json: kept to a few hundred bytes, no documents, no vocabulary).

    The worker is a theme asset, one copy at the site root for every language
    (macros/site/shared_assets.py); so is the vocabulary, the same for both languages.
    The settings' addresses are relative to the worker, the one place it knows."""
    language = languages.BY_CODE[lang]
    root = site
    for _ in range(language.prefix.count("/")):
        root = root.parent
    workers_dir = root / "assets" / "javascripts" / "workers"
    workers = list(workers_dir.glob("search.*.min.js"))
    if len(workers) != 1:
        raise SearchBuildError(f"expected one Material search worker in {workers_dir}, found {len(workers)}")
    workers[0].write_text(worker, encoding="utf-8")
    for stale in workers_dir.glob("search.*.min.js.map"):
        stale.unlink()
    shutil.rmtree(root / "assets" / "javascripts" / "lunr", ignore_errors=True)
    (root / VOCABULARY).write_text("\n".join(sorted(seg.vocabulary)) + "\n", encoding="utf-8")
    to_root = "../" * len(workers_dir.relative_to(root).parts)
    shards = sorted((int(entry.parent.name.rpartition("-")[2]) for entry in site.glob(f"{BUNDLE}-*/pagefind-entry.json")))
    payload = {
        "config": {**config, "dl": {"lang": lang, "bundle": f"{to_root}{language.prefix}{BUNDLE}/pagefind.js",
                                    "shards": [f"{to_root}{language.prefix}{BUNDLE}-{number}/" for number in shards],
                                    "vocabulary": to_root + VOCABULARY, "max_word": MAX_WORD}},
        "docs": [],
    }
    (site / "search" / "search_index.json").write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")),
                                                       encoding="utf-8")
