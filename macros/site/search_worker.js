/* Search worker for Material's header search, backed by Pagefind (issue #11).
 *
 * Installed by macros/site/search.py in place of Material's lunr worker; it speaks the
 * same messages, so Material's search UI (keyboard, Esc, mobile overlay, result count,
 * highlighting) is unchanged:
 *   {type: 0, data: {config, docs}}  setup  -> {type: 1}
 *   {type: 2, data: "query"}         query  -> {type: 3, data: {items: [[doc, ...], ...]}}
 * A doc is {location, title, text, score, terms}; title and text are inserted as HTML
 * by Material, so everything from the index is escaped here, <mark> excepted.
 *
 * One worker serves both languages (it is a theme asset: macros/site/shared_assets.py).
 * Material fetches the language's search/search_index.json on every page load and sends
 * it as the setup; that file holds only settings (config.dl: the language's Pagefind
 * bundle and the vocabulary, addresses relative to this worker). Setup is answered at
 * once; the vocabulary and Pagefind load when the reader opens the search box (the page
 * says so on the channel "dl-search": overrides/main.html) or on the first query, so a
 * page that is only read loads nothing of search but this worker and that small file.
 *
 * Chinese is cut exactly as macros/site/search.py cut the index: the fewest words of the
 * site's vocabulary, longest word first on ties.
 *
 * Material shows a result's text only when its first entry's address has no #. Every
 * resource result leads to its own page (resources/<id>/), so it shows its text; only the
 * `resource_pages: false` build (make bench's baseline, never published) points resources
 * at their cards (topics/<id>/#r-<id>), and there they show their title alone.
 */
"use strict";

const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;
const RESULTS = 12;        // results whose details are loaded and ranked before the first answer
const REST_AFTER = 1000;   // ms before the details of the rest are loaded (the count, scrolling)
const SECTIONS = 3;        // sections of a page listed under it
let bundles = null;  // this language's Pagefind bundle, then a large catalogue's further shards
let vocabulary = new Set();
let maxWord = 8;
let settings = null;  // config.dl of the setup message
let loading = null;   // the vocabulary and Pagefind, from search opened or the first query on

function cutRun(run) {
  const n = run.length;
  const cost = new Array(n + 1).fill(0);
  const step = new Array(n + 1).fill(1);
  for (let i = n - 1; i >= 0; i--) {
    cost[i] = cost[i + 1] + 1;
    step[i] = 1;
    for (let j = Math.min(n, i + maxWord); j > i + 1; j--) {
      if (vocabulary.has(run.slice(i, j)) && cost[j] + 1 < cost[i]) {
        cost[i] = cost[j] + 1;
        step[i] = j - i;
      }
    }
  }
  const words = [];
  for (let i = 0; i < n; i += step[i]) words.push(run.slice(i, i + step[i]));
  return words;
}

function spaced(text) {
  return text.replace(HAN, run => " " + cutRun(run).join(" ") + " ");
}

/* The words of a query as the index holds them (Chinese cut, punctuation dropped). */
function terms(query) {
  return spaced(query).toLowerCase().split(/[\s\u3000,，、。;；:：!！?？"“”'‘’()（）《》【】\[\]{}|]+/)
    .map(t => t.replace(/^[.\-_]+|[.\-_]+$/g, "")).filter(Boolean);
}

function normalise(text) {
  return text.toLowerCase().replace(/[\s\u3000\p{P}\p{S}]+/gu, "");
}

function escapeHTML(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function decodeEntities(text) {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, "\"").replace(/&#0?39;/g, "'").replace(/&amp;/g, "&");
}

/* Pagefind's excerpt, safe as HTML, with the spaces that cut Chinese words removed. */
function excerpt(raw) {
  const safe = escapeHTML(decodeEntities(raw || "")).replace(/&lt;(\/?)mark&gt;/g, "<$1mark>");
  return safe.replace(/([\u3400-\u9fff\uff00-\uffef\u3000-\u303f])((?:<\/?mark>)*) +((?:<\/?mark>)*)(?=[\u3400-\u9fff\uff00-\uffef\u3000-\u303f])/g, "$1$2$3")
    .replace(/([\u3400-\u9fff\uff00-\uffef\u3000-\u303f])((?:<\/?mark>)*) +((?:<\/?mark>)*)(?=[\u3400-\u9fff\uff00-\uffef\u3000-\u303f])/g, "$1$2$3");
}

/* How well the query names this record: 3 its exact title, alias or provider; 2.5 a
 * synonym of one of those (data/search/synonyms.yml); 2 all the
 * words inside one name; 1 all the words across the names; 0 otherwise. */
function nameMatch(query, words, meta) {
  const names = (meta.names || meta.title || "").split("\u241e").filter(Boolean);
  const whole = normalise(query);
  if (!whole) return 0;
  const normalised = names.map(normalise);
  if (normalised.includes(whole)) return 3;
  if ((meta.aka || "").split("\u241e").map(normalise).includes(whole)) return 2.5;
  const parts = words.map(normalise).filter(Boolean);
  if (normalised.some(name => parts.every(p => name.includes(p)))) return 2;
  const all = normalised.join(" ");
  return parts.length && parts.every(p => all.includes(p)) ? 1 : 0;
}

async function searchTerms(words) {
  // Every shard answers; together they rank by score, as Pagefind's own mergeIndex does
  // (which, in Pagefind 1.5.2, dropped a shard's results for queries of many words).
  // A result's id is its shard's number and its own id: ids are unique within a bundle.
  const responses = await Promise.all(bundles.map(bundle => bundle.search(words.join(" "))));
  if (responses.length === 1) return responses[0] ? responses[0].results : [];  // Pagefind's order, untouched
  return responses.flatMap((response, shard) => (response ? response.results : []).map(result => ({...result, id: `${shard}:${result.id}`})))
    .sort((a, b) => b.score - a.score);
}

async function query(text, onFirst, stale = () => false) {
  position = 0;
  if (!text.trim()) return {items: []};
  await load();
  const words = terms(text);
  if (!words.length) return {items: []};
  // Results holding every word come first. Pagefind drops a word that matches nothing,
  // so each word is also looked up alone: a result lacking one is listed after those
  // holding all, with the words it lacks (Material's "missing" line), and only those.
  let results = await searchTerms(words);
  const lacking = new Map();
  if (words.length > 1) {
    const alone = await Promise.all(words.map(word => searchTerms([word])));
    const holders = alone.map(list => new Set(list.map(result => result.id)));
    const pool = new Map(results.map(result => [result.id, result]));
    for (const list of alone) for (const result of list) if (!pool.has(result.id)) pool.set(result.id, result);
    results = [...pool.values()];
    for (const result of results) lacking.set(result.id, words.filter((word, i) => !holders[i].has(result.id)));
    results.sort((a, b) => lacking.get(a.id).length - lacking.get(b.id).length || b.score - a.score);
  }
  const top = await Promise.all(results.slice(0, RESULTS).map(async result => ({result, data: await result.data()})));
  const ranked = top.map(({result, data}, order) => {
    const meta = data.meta || {};
    const match = nameMatch(text, words, meta);
    const missing = lacking.get(result.id) || [];
    // Named records first: the exact name (or a synonym of it) puts a topic or path page
    // before resources that hold the words; below that, resources before pages that
    // only mention them. Then Pagefind's order.
    const exact = match >= 2.5;
    const kind = meta.kind === "resource" ? (exact ? 0.5 : 1) : meta.kind === "page" ? 0 : (exact ? 1 : 0.5);
    return {data, meta, missing, order, key: [-missing.length, match, match ? kind : 0, -order]};
  });
  ranked.sort((a, b) => {
    for (let i = 0; i < a.key.length; i++) if (a.key[i] !== b.key[i]) return b.key[i] - a.key[i];
    return 0;
  });
  const first = {items: ranked.map(entry => item(entry, words, results.length))};
  // The first results are answered at once; the rest (for the count and for scrolling)
  // follow in a second answer, which Material renders in place of the first.
  const rest = results.slice(RESULTS);
  if (rest.length && onFirst) {
    onFirst(first);
    // Leave the network to the first answer (and the page it renders) for a moment; a
    // reader still typing makes this answer stale, and its rest is never loaded.
    await new Promise(resolve => setTimeout(resolve, REST_AFTER));
    if (stale()) return first;
    const more = await Promise.all(rest.map(async result => ({data: await result.data(), meta: null, missing: lacking.get(result.id) || []})));
    more.forEach(entry => { entry.meta = entry.data.meta || {}; });
    return {items: [...first.items, ...more.map(entry => item(entry, words, results.length))]};
  }
  return first;
}

let position = 0;
function item({data, meta, missing}, words, total) {
  const score = total - position++;
  // A page's own record leaves out the resource cards shown on it: it is not said to
  // lack a word that one of its cards may hold.
  const lacks = meta.kind === "resource" ? missing : [];
  const found = Object.fromEntries(words.map(w => [w, !lacks.includes(w)]));
  const location = meta.url || "";
  const main = {location, title: escapeHTML(meta.title || ""), text: excerpt(data.excerpt), score, terms: found};
  const sections = (data.sub_results || []).filter(s => s.url.includes("#")).slice(0, SECTIONS).map(s => ({
    location: location.split("#")[0] + "#" + s.url.split("#")[1],
    title: escapeHTML(decodeEntities(s.title || "").replace(/([\u3400-\u9fff]) (?=[\u3400-\u9fff])/g, "$1")),
    text: excerpt(s.excerpt), score: score - 0.5, terms: found,
  }));
  return location.includes("#") ? [main] : [main, ...sections];
}

function setup(config) {
  settings = config.dl || {};
  maxWord = settings.max_word || maxWord;
}

/* The vocabulary and this language's Pagefind bundle, fetched once, side by side; a
 * failure (offline) is forgotten, so the next query tries again. */
function load() {
  if (!loading) {
    const address = path => new URL(path, self.location.href).href;
    loading = Promise.all([
      fetch(address(settings.vocabulary)).then(response => {
        if (!response.ok) throw new Error(`vocabulary: HTTP ${response.status}`);
        return response.text();
      }),
      // A large catalogue's search is split in shards (macros/site/search.py SHARD_RECORDS),
      // each a bundle of its own: one module each, imported side by side.
      Promise.all([settings.bundle, ...(settings.shards || []).map(shard => `${shard}pagefind.js`)]
        .map(bundle => import(address(bundle)))),
    ]).then(async ([words, imported]) => {
      await Promise.all(imported.map(async bundle => {
        await bundle.options({excerptLength: 24});
        await bundle.init();
      }));
      vocabulary = new Set(words.split("\n").filter(Boolean));
      bundles = imported;
    }).catch(error => {
      loading = null;
      throw error;
    });
  }
  return loading;
}

/* The reader opened the search box: load while they type. The page names its language,
 * for every worker of the site's pages hears the channel, those of other tabs too. */
if (typeof BroadcastChannel === "function") {
  new BroadcastChannel("dl-search").onmessage = event => {
    if (settings && event.data === settings.lang) load().catch(error => console.warn("search:", error));
  };
}

let latest = 0;  // answers to queries the reader has typed past are dropped
addEventListener("message", async event => {
  const message = event.data;
  const ticket = message.type === 2 ? ++latest : latest;
  try {
    if (message.type === 0) {
      setup(message.data.config || {});
      postMessage({type: 1});
    } else if (message.type === 2) {
      const answer = data => { if (ticket === latest) postMessage({type: 3, data}); };
      answer(await query(String(message.data || ""), answer, () => ticket !== latest));
    }
  } catch (error) {
    console.warn("search:", error);
    if (message.type === 2 && ticket === latest) postMessage({type: 3, data: {items: []}});
  }
});

// For tests: the same cut as the index (macros/site/search.py Segmenter).
self.dlSearch = {cutRun, spaced, terms, useVocabulary: words => { vocabulary = new Set(words); }};
