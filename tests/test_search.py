"""Search (issue #11), measured the way a reader uses it: the queries of
data/search/eval.yml and every resource title typed into the header search box of the
built site in headless Chromium, plus the build-time guarantees (segmentation that
cannot switch off, the same Chinese cut at index and query time)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from urllib.parse import urljoin, urlsplit

import pytest

from conftest import PROJECT_DIR, copy_project
from macros.tools.search_eval import SearchBox, load_eval, run_side, target_matches

from macros.site import search

# The engine before issue #11 (Material's lunr search) scored, on the same set:
# zh recall@3 0.63, MRR 0.42; en recall@3 0.52, MRR 0.33 (bench/search-eval-before.txt).
THRESHOLDS = {"zh": {"recall@3": 0.9, "mrr": 0.85}, "en": {"recall@3": 0.9, "mrr": 0.85}}


def vocabulary(site) -> list[str]:
    """The words the worker cuts Chinese queries with (one file for both languages)."""
    return (site / search.VOCABULARY).read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="session")
def eval_scores(browser, site_url):
    data = load_eval()
    return {lang: run_side(browser, site_url, lang, data[lang]) for lang in ("zh", "en")}


def test_eval_set_is_large_and_valid(catalog):
    data = load_eval()
    assert len(data["zh"]) >= 40 and len(data["en"]) >= 40 and len(data["zh"]) + len(data["en"]) >= 80
    for lang, entries in data.items():
        for entry in entries:
            assert entry["q"] and entry["expect"], entry
            for target in entry["expect"]:
                if "resource" in target:
                    assert target["resource"] in catalog.resources, (lang, entry)
                else:
                    assert (PROJECT_DIR / "docs" / lang / (target["page"].rstrip("/") + ".md")).is_file(), (lang, entry)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_eval_set_recall_and_mrr(eval_scores, lang):
    score, details = eval_scores[lang]
    failed = [(d["q"], d["rank"], d["top"]) for d in details if not d["rank"] or d["rank"] > 3]
    assert score.recall(3) >= THRESHOLDS[lang]["recall@3"], (score.summary(), failed)
    assert score.mrr >= THRESHOLDS[lang]["mrr"], (score.summary(), failed)


def card_words(resource, lang: str, seg) -> list[str]:
    """The words of a resource card as the index cuts them (lowercase)."""
    text = " ".join([resource.title("zh"), resource.title("en"), resource.summary(lang), resource.provider,
                     *resource.aliases, *(m.label(lang) for m in resource.mirrors)])
    return re.split(r"[\W_]+", seg.spaced(text).lower())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_results_stay_in_the_readers_language_and_never_call_a_word_on_the_card_missing(eval_scores, built_site, catalog, lang):
    score, details = eval_scores[lang]
    assert score.foreign == []
    seg = search.Segmenter(set(vocabulary(built_site)))
    wrong = []
    for url, words in score.missing_words:
        parts = urlsplit(url)
        own_page = re.search(r"/resources/([a-z0-9-]+)/$", parts.path)
        assert parts.fragment.startswith("r-") or own_page, f"only resource results may name missing words: {url}"
        resource_id = own_page.group(1) if own_page else parts.fragment[2:]
        tokens = card_words(catalog.resources[resource_id], lang, seg)
        # Pagefind matches a word as the start of an indexed word.
        wrong += [(url, w) for w in words if any(t.startswith(w.lower()) for t in tokens if t)]
    assert wrong == []
    # multi-word queries: the first result holds every word
    for d in details:
        if d["rank"] == 1:
            assert not d["missing"] or d["q"] not in " ".join(d["missing"]), d


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_resource_is_found_by_its_own_title(browser, site_url, catalog, lang):
    entries = [{"q": r.title(lang), "expect": [{"resource": r.id}]} for r in catalog.resources.values()]
    score, details = run_side(browser, site_url, lang, entries)
    missed = [(d["q"], d["rank"], d["top"]) for d in details if not d["rank"] or d["rank"] > 3]
    assert missed == []
    assert score.foreign == []


def test_a_missing_line_names_only_words_the_result_lacks(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{site_url}/")
    box = SearchBox(page)
    box.open()
    urls = box.query("深度学习 zzyzx")  # nothing on the site holds both
    assert urls
    lines = box.missing_lines()
    assert lines and all("zzyzx" in line for line in lines)
    assert not any("深度学习" in line for line in lines)
    context.close()


def test_keyboard_opens_navigates_and_closes_search(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{site_url}/en/")
    page.wait_for_load_state("networkidle")
    page.keyboard.press("/")  # Material's shortcut: focus the search box
    assert page.evaluate("document.activeElement.dataset.mdComponent") == "search-query"
    page.keyboard.type("Deep Learning Specialization")
    page.wait_for_function("""() => { const a = document.querySelector(".md-search-result__link");
        return a && a.href.includes("deeplearning-ai-dl-specialization"); }""", timeout=15000)
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("document.activeElement.href || ''")
    assert "#r-deeplearning-ai-dl-specialization" in focused or "/resources/deeplearning-ai-dl-specialization/" in focused
    meta = page.inner_text(".md-search-result__meta")
    assert any(ch.isdigit() for ch in meta), meta  # the result count
    assert page.locator(".md-search-result mark").count() > 0  # highlighted words
    with page.expect_navigation():
        page.keyboard.press("Enter")  # follows the focused result
    assert target_matches({"resource": "deeplearning-ai-dl-specialization"}, "en", page.url), page.url
    page.wait_for_load_state("networkidle")
    page.keyboard.press("/")
    page.wait_for_function("document.querySelector('#__search').checked")
    page.keyboard.press("Escape")  # closes search
    assert not page.is_checked("#__search")
    context.close()


def test_search_works_at_phone_width(browser, site_url):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{site_url}/")
    assert page.is_visible("label.md-header__button[for=__search]")
    box = SearchBox(page)
    box.open()
    urls = box.query("花书")
    assert any(target_matches({"resource": "goodfellow-deep-learning-book"}, "zh", u) for u in urls[:3]), urls
    # The first result fits the phone's width. Measured once the layout has settled: in two
    # of about a dozen full runs a result read 1,160 px wide at x = -19 just as the results
    # appeared (never when this test ran alone, even with both cores busy); a result that
    # never fits still fails, after 5 s, with what the page measured.
    fits = """() => { const link = document.querySelector('.md-search-result__link');
        const box = link && link.getBoundingClientRect();
        return !!box && box.left >= 0 && box.right <= window.innerWidth + 1; }"""
    try:
        page.wait_for_function(fits, timeout=5000)
    except Exception:
        measured = page.evaluate("""() => { const box = document.querySelector('.md-search-result__link').getBoundingClientRect();
            return {left: box.left, width: box.width, innerWidth: window.innerWidth,
                    scrollWidth: document.documentElement.scrollWidth}; }""")
        pytest.fail(f"the first search result does not fit a 375 px phone: {measured}")
    page.screenshot(path=str(PROJECT_DIR / "test-output" / "search-phone-zh.png"))
    context.close()


def test_query_cut_matches_index_cut(browser, site_url, built_site, catalog):
    """The worker cuts Chinese exactly as the index was cut (same vocabulary, same rule)."""
    words = vocabulary(built_site)
    assert {"深度学习", "反向传播", "卷积神经网络", "花书"} <= set(words)
    seg = search.Segmenter(set(words))
    texts = [r.title(lang) for r in catalog.resources.values() for lang in ("zh", "en")]
    texts += [r.summary("zh") for r in catalog.resources.values()] + ["神经网络与深度学习", "吴恩达深度学习课程"]
    runs = sorted({run for text in texts for run in search.HAN.findall(text)})
    page = browser.new_page()
    page.goto(f"{site_url}/")
    page.add_script_tag(content=search.WORKER_SOURCE.read_text(encoding="utf-8"))
    cut = page.evaluate("([words, runs]) => { dlSearch.useVocabulary(words); return runs.map(r => dlSearch.cutRun(r)); }",
                        [words, runs])
    page.close()
    assert cut == [seg.cut_run(run) for run in runs]
    assert seg.cut_run("神经网络与深度学习") == ["神经网络", "与", "深度学习"]


def test_search_bundles_one_per_language_and_one_worker_for_both(built_site):
    # The worker is a theme asset, at the root only (macros/site/shared_assets.py).
    worker = next((built_site / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    assert worker.read_text(encoding="utf-8") == search.WORKER_SOURCE.read_text(encoding="utf-8")
    assert not (built_site / "assets" / "javascripts" / "lunr").exists()
    for prefix, lang in (("", "zh"), ("en/", "en")):
        entry = json.loads((built_site / prefix / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert set(entry["languages"]) == {lang}
        # Each language's settings send the shared worker to its own bundle.
        settings = json.loads((built_site / prefix / "search" / "search_index.json").read_text(encoding="utf-8"))
        bundle = urljoin(urljoin("http://site/", worker.relative_to(built_site).as_posix()), settings["config"]["dl"]["bundle"])
        assert bundle == f"http://site/{prefix}pagefind/pagefind.js"


def test_search_records_escape_data_text():
    seg = search.Segmenter({"深度学习"})
    record = search.Record(url="topics/x/#r-x", kind="resource", title='<script>alert(1)</script> "深度学习"',
                           names=["<b>x</b>"], fields=[(10.0, "<script>"), (1.0, "a <img src=x onerror=alert(1)>")])
    html = search.record_html(record, "zh", seg)
    assert "<script>" not in html and "<img" not in html and "<b>" not in html


def test_synonyms_reach_both_languages():
    table = search.SynonymTable(search.load_synonyms())
    assert "卷积神经网络" in table.expand("Convolutional Neural Networks for Visual Recognition")
    assert "CNN" in table.expand("面向视觉识别的卷积神经网络")
    assert "GAN" not in table.expand("Organ transplants")  # Latin names match whole words only
    assert set(table.same_as(["强化学习"])) >= {"RL", "reinforcement learning"}
    assert table.same_as(["先学 MIT 6.S191，再学吴恩达专项课程"]) == []


@pytest.mark.parametrize("segmenter, module", [("rjieba", "rjieba"), ("jieba", "jieba")])
def test_build_stops_when_chinese_segmentation_is_not_active(tmp_path, segmenter, module):
    """jieba 0.42 imports pkg_resources; without setuptools (Python 3.12+ venvs) the import
    fails, and Material's search then indexed Chinese sentences whole with no warning.
    Whichever segmenter is chosen, a failed import must stop the build with a clear message."""
    project = copy_project(tmp_path / "project")
    shadow = tmp_path / "shadow"
    shadow.mkdir()
    (shadow / f"{module}.py").write_text("raise ModuleNotFoundError(\"No module named 'pkg_resources'\")\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(shadow), "DL_SEGMENTER": segmenter}
    result = subprocess.run([sys.executable, "-m", "macros.tools.build", "--quiet", "--site-dir", str(tmp_path / "site")],
                            capture_output=True, text=True, env=env, cwd=project, timeout=300)
    assert result.returncode != 0
    assert "Chinese segmentation is not active" in result.stderr, result.stderr[-2000:]
    assert "pkg_resources" in result.stderr
    assert not (tmp_path / "site").exists()


def test_a_segmenter_that_does_not_segment_stops_the_build(monkeypatch):
    monkeypatch.setitem(search.SEGMENTERS, "whole", lambda: (lambda text: [text]))
    with pytest.raises(search.SearchBuildError, match="Chinese segmentation is not active"):
        search.load_cutter("whole")


def test_result_urls_are_the_readers_language(eval_scores):
    for lang in ("zh", "en"):
        _, details = eval_scores[lang]
        for d in details:
            for url in d["top"]:
                assert urlsplit("/" + url).path.startswith("/en/") == (lang == "en"), (lang, d)


def test_a_resource_with_its_own_page_is_indexed_at_that_page(catalog):
    """A build with resource pages (resources/<id>/) points search there instead of at
    the card, and the evaluator accepts both."""
    resource = catalog.resources["cs231n"]
    assert search.resource_url(resource, False) == "topics/computer-vision/#r-cs231n"
    assert search.resource_url(resource, True) == "resources/cs231n/"
    for lang, base in (("zh", "http://x/"), ("en", "http://x/en/")):
        assert target_matches({"resource": "cs231n"}, lang, base + "resources/cs231n/")
        assert target_matches({"resource": "cs231n"}, lang, base + "topics/computer-vision/?h=x#r-cs231n")
        assert not target_matches({"resource": "cs231n"}, lang, base + "topics/computer-vision/")
    assert not target_matches({"resource": "cs231n"}, "zh", "http://x/en/resources/cs231n/")
    assert not target_matches({"resource": "cs231n"}, "en", "http://x/resources/cs231n/")
    index = {"docs": [{"location": "resources/cs231n/", "title": "x", "text": "y"},
                      {"location": "topics/nlp/", "title": "自然语言处理", "text": "<p>RNN</p>"},
                      {"location": "topics/nlp/#r-cs224n", "title": "card", "text": "z"},
                      {"location": "topics/nlp/#intro", "title": "入门", "text": "t"}]}
    records = search.page_records(index, catalog, "zh", search.SynonymTable(search.load_synonyms()))
    assert [r.url for r in records] == ["topics/nlp/"]  # no resource page, no card: those are resource records
    assert records[0].kind == "topic" and records[0].sections == [("intro", "入门", "t")]
    assert "NLP" in records[0].aka  # the topic's own name's synonyms


def test_shard_sizes_are_even_and_bounded():
    assert search.shard_sizes(170, 3500) == [170]  # today's catalogue: one shard per language
    assert search.shard_sizes(13_336, 3500) == [3334, 3334, 3334, 3334]
    assert search.shard_sizes(7001, 3500) == [2334, 2334, 2333]
    assert all(max(search.shard_sizes(n, 40)) <= 40 and sum(search.shard_sizes(n, 40)) == n for n in range(1, 400))


def test_a_shard_that_cannot_be_written_stops_search_and_leaves_no_indexer_running(tmp_path, monkeypatch):
    # Each shard's records are written just before its indexer starts, while the earlier
    # shards' indexers run: a failure there must stop those too.
    records = [search.Record(url=f"p{n}/", kind="page", title=f"Page {n}", names=[f"Page {n}"],
                             fields=[(10.0, f"Page {n}"), (1.0, "深度学习 text")]) for n in range(30)]
    monkeypatch.setattr(search, "SHARD_RECORDS", 5)
    started, written = [], []
    real_popen, real_html = search.subprocess.Popen, search.record_html

    def popen(*args, **kwargs):
        started.append(real_popen(*args, **kwargs))
        return started[-1]

    def record_html(record, lang, seg):
        written.append(record.url)
        if len(written) == 13:  # in the third shard: two indexers are running
            raise OSError("No space left on device")
        return real_html(record, lang, seg)

    monkeypatch.setattr(search.subprocess, "Popen", popen)
    monkeypatch.setattr(search, "record_html", record_html)
    with pytest.raises(OSError, match="No space left"):
        search._write_pagefind({"zh": (records, tmp_path / "pagefind")}, search.Segmenter({"深度", "学习"}))
    assert len(started) == 2 and all(process.returncode is not None for process in started)


@pytest.fixture(scope="module")
def sharded_site_url(tmp_path_factory):
    """The real site with its search split into shards of 40 records (a large catalogue's
    layout at today's size), served on 127.0.0.1."""
    import functools
    import threading
    from http.server import ThreadingHTTPServer

    from macros.tools.build import build_site
    from macros.tools.serve import SiteHandler

    site = tmp_path_factory.mktemp("sharded") / "site"
    patch = pytest.MonkeyPatch()
    patch.setattr(search, "SHARD_RECORDS", 40)
    try:
        build_site(site, quiet=True)
    finally:
        patch.undo()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(SiteHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield site, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_todays_catalogue_is_one_shard_per_language(built_site):
    for prefix in ("", "en/"):
        settings = json.loads((built_site / prefix / "search" / "search_index.json").read_text(encoding="utf-8"))
        assert settings["config"]["dl"]["shards"] == []
        assert not list((built_site / prefix).glob("pagefind-*"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_resource_is_found_by_its_title_across_shards(browser, sharded_site_url, catalog, lang):
    site, url = sharded_site_url
    prefix = "" if lang == "zh" else "en/"
    settings = json.loads((site / prefix / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert len(settings["config"]["dl"]["shards"]) >= 3  # 170 records a language, 40 a shard
    entries = [{"q": r.title(lang), "expect": [{"resource": r.id}]} for r in catalog.resources.values()]
    score, details = run_side(browser, url, lang, entries)
    missed = [(d["q"], d["rank"], d["top"]) for d in details if not d["rank"] or d["rank"] > 3]
    assert missed == []
    assert score.foreign == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_eval_set_holds_its_thresholds_across_shards(browser, sharded_site_url, lang):
    # Each shard ranks by its own term statistics; the reader's queries must not suffer for it.
    _, url = sharded_site_url
    score, details = run_side(browser, url, lang, load_eval()[lang])
    failed = [(d["q"], d["rank"], d["top"]) for d in details if not d["rank"] or d["rank"] > 3]
    assert score.recall(3) >= THRESHOLDS[lang]["recall@3"], (score.summary(), failed)
    assert score.mrr >= THRESHOLDS[lang]["mrr"], (score.summary(), failed)
    assert score.foreign == []
