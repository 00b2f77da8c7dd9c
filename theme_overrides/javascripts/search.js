/*
 * Pagefind search in Material's header (partials/search.html).
 *
 * Why not Material's own search: it downloads one index of the whole archive into every
 * reader's browser (39 MB at 10,000 papers). Pagefind loads only the index chunks and
 * result fragments a query needs. This script keeps Material's behaviour: the same box,
 * "/", "s" or "f" to search, Escape to close, arrow keys and Enter to pick a result, and
 * Material's result markup, so the theme styles it in light and dark mode.
 *
 * The bundle is loaded on first use, relative to this script, so the site works under
 * any sub-path (a GitHub project site) and readers who never search download nothing.
 */
(() => {
  "use strict";

  const PAGE_SIZE = 10; // results whose fragments are fetched at a time
  const SNIPPET_WORDS = 28;
  const PROSE_ANCHOR = "abstract"; // generator/search.py: where the abstract starts
  // Search once typing pauses (a fast typist's keys come every 120 ms); the index chunks
  // for the words typed so far preload meanwhile. A search cannot be stopped once started,
  // and a broad one takes 100-200 ms at 10,000 papers: searching between keys only delays
  // the search for what was finally typed.
  const DEBOUNCE_MS = 150;
  // A one-letter last word is searched as a prefix of most words in the archive (0.6 s at
  // 10,000 papers for "c"); wait for the second letter.
  const MIN_LAST_WORD = 2;
  const PRELOAD_LAST_WORD = 4;
  const SHORTCUTS = new Set(["/", "s", "f"]); // Material's keys for opening search

  const script = document.currentScript;
  const toggle = document.getElementById("__search");
  const root = document.querySelector("[data-pa-search]");
  if (!script || !toggle || !root) return;

  const bundleDir = new URL("../pagefind/", script.src);
  const form = root.querySelector("form");
  const input = root.querySelector("[data-pa-search-query]");
  const status = root.querySelector("[data-pa-search-status]");
  const list = root.querySelector(".md-search-result__list");
  const more = root.querySelector("[data-pa-search-more]");
  const filters = [...root.querySelectorAll("[data-pa-search-filter]")];

  let pagefind = null; // Promise of the Pagefind module, once loading started
  let generation = 0; // bumped by every search, so a slow answer never overwrites a newer one
  let timer = 0;
  let pending = []; // results found but not shown yet ("More results")

  function load() {
    if (!pagefind) {
      // Written by generator/search.py: the index's shards, and the filter values with counts.
      const settings = fetch(new URL("search.json", bundleDir))
        .then((response) => (response.ok ? response.json() : {}))
        .catch(() => ({}));
      pagefind = import(new URL("pagefind.js", bundleDir).href).then(async (module) => {
        await module.options({ excerptLength: 24 });
        await module.init();
        const { shards = [], filters: counts } = await settings;
        // Large archives are indexed in shards, to bound the build's memory; search them as one.
        for (const shard of shards) await module.mergeIndex(new URL(shard, bundleDir).href);
        fillFilters(counts || (await module.filters()));
        if (!input.value.trim()) status.textContent = "Type to start searching";
        return module;
      });
      pagefind.catch(() => {
        status.textContent = "Search is not available: the search index was not built (run make build).";
      });
    }
    return pagefind;
  }

  function fillFilters(counts) {
    for (const select of filters) {
      const values = Object.entries(counts[select.dataset.paSearchFilter] || {});
      const byYear = select.dataset.paSearchFilter === "year";
      values.sort(([a], [b]) => (byYear ? b.localeCompare(a) : a.localeCompare(b)));
      for (const [value, count] of values) {
        select.append(new Option(`${value} (${count})`, value));
      }
      select.disabled = values.length === 0;
    }
  }

  function chosenFilters() {
    const chosen = {};
    for (const select of filters) {
      if (select.value) chosen[select.dataset.paSearchFilter] = select.value;
    }
    return chosen;
  }

  // Fetch the index chunks of the words typed so far while typing goes on, but not for
  // short prefixes: those span several chunks that the finished word will not need.
  function preloadable(query) {
    return query.split(/\s+/).pop().length >= PRELOAD_LAST_WORD;
  }

  function searchable(query) {
    return query === "" || query.split(/\s+/).pop().length >= MIN_LAST_WORD;
  }

  function schedule() {
    const query = input.value.trim();
    if (!searchable(query)) {
      generation++; // what was typed before is not what is wanted now either
      clearTimeout(timer);
      return;
    }
    load()
      .then((module) => preloadable(query) && module.preload(query, { filters: chosenFilters() }))
      .catch(() => {});
    generation++; // drop answers to what was typed before
    clearTimeout(timer);
    timer = setTimeout(() => search().catch(() => {}), DEBOUNCE_MS);
  }

  async function search() {
    const current = ++generation;
    const query = input.value.trim();
    const chosen = chosenFilters();
    if (!searchable(query)) return;
    if (!query && Object.keys(chosen).length === 0) {
      status.textContent = "Type to start searching";
      list.replaceChildren();
      more.hidden = true;
      return;
    }
    const module = await load();
    // No words but a filter: list the filter's papers, newest first.
    const found = await module.search(query || null, {
      filters: chosen,
      sort: query ? {} : { date: "desc" },
    });
    if (current !== generation) return;
    const count = found.results.length;
    status.textContent = count === 0 ? "No matching papers" : count === 1 ? "1 matching paper" : `${count} matching papers`;
    if (count === 0) list.replaceChildren();
    pending = found.results;
    await showMore(current, query, true);
  }

  // `fresh`: replace the previous results with the first new one, not before (no flicker).
  async function showMore(current, query, fresh = false) {
    const batch = pending.slice(0, PAGE_SIZE).map((result) => result.data()); // fetched in parallel
    pending = pending.slice(PAGE_SIZE);
    more.hidden = true;
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    for (const data of batch) {
      const item = await data; // shown in rank order, each as soon as it and those above are in
      if (current !== generation) return;
      if (fresh) list.replaceChildren(renderResult(item, words));
      else list.append(renderResult(item, words));
      fresh = false;
    }
    more.hidden = pending.length === 0;
  }

  function renderResult(item, words) {
    const meta = item.meta || {};
    const link = element("a", "md-search-result__link");
    link.href = item.url;
    link.tabIndex = -1;
    const article = element("article", "md-search-result__article md-typeset");
    article.append(highlighted(element("h1"), meta.title || item.url, words));
    const facts = [meta.authors, (meta.date || "").slice(0, 4)].filter(Boolean).join(" · ");
    if (facts) article.append(highlighted(element("p", "pa-search-result__byline"), facts, words));
    article.append(snippet(item));
    const tags = (item.filters && item.filters.tag) || [];
    if (tags.length) {
      const nav = element("nav", "md-tags");
      for (const tag of tags) nav.append(Object.assign(element("span", "md-tag"), { textContent: tag }));
      article.append(nav);
    }
    link.append(article);
    const entry = element("li", "md-search-result__item");
    entry.append(link);
    return entry;
  }

  function element(name, className) {
    const node = document.createElement(name);
    if (className) node.className = className;
    return node;
  }

  // Mark words of the title and byline that start with a query word, using text nodes
  // only: paper text never becomes markup.
  function highlighted(node, text, words) {
    if (words.length === 0) {
      node.textContent = text;
      return node;
    }
    const escaped = words.map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    const pattern = new RegExp(`(^|[^\\p{L}\\p{N}])(${escaped.join("|")})`, "giu");
    let last = 0;
    for (const match of text.matchAll(pattern)) {
      const start = match.index + match[1].length;
      node.append(text.slice(last, start), Object.assign(element("mark"), { textContent: match[2] }));
      last = start + match[2].length;
    }
    node.append(text.slice(last));
    return node;
  }

  // The snippet comes from the abstract and notes: the densest run of matched words there,
  // or their first words when only the title, authors or tags matched (shown above).
  function snippet(item) {
    const anchor = (item.anchors || []).find((candidate) => candidate.id === PROSE_ANCHOR);
    if (!anchor) return excerpt(item.excerpt || "");
    const words = (item.content || "").split(/[\r\n\s]+/g);
    const hits = (item.locations || []).filter((location) => location >= anchor.location).sort((a, b) => a - b);
    let start = anchor.location;
    let best = 0;
    for (const hit of hits) {
      const inWindow = hits.filter((other) => other >= hit && other < hit + SNIPPET_WORDS).length;
      if (inWindow > best) [best, start] = [inWindow, Math.max(anchor.location, hit - 3)];
    }
    const end = Math.min(words.length, start + SNIPPET_WORDS);
    const marked = new Set(hits);
    const paragraph = element("p");
    if (start > anchor.location) paragraph.append("… ");
    for (let index = start; index < end; index++) {
      if (index > start) paragraph.append(" ");
      paragraph.append(marked.has(index) ? Object.assign(element("mark"), { textContent: words[index] }) : words[index]);
    }
    if (end < words.length) paragraph.append(" …");
    return paragraph;
  }

  // Pagefind's own excerpt (pages marked up by their template): text with "<" and ">"
  // escaped and <mark> around hits; rebuilt from text nodes so nothing else becomes markup.
  function excerpt(html) {
    const paragraph = element("p");
    html.split(/(<mark>.*?<\/mark>)/).forEach((part, index) => {
      const text = part.replace(/<\/?mark>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">");
      paragraph.append(index % 2 ? Object.assign(element("mark"), { textContent: text }) : text);
    });
    return paragraph;
  }

  function open() {
    toggle.checked = true;
    load().catch(() => {});
  }

  function close() {
    toggle.checked = false;
    input.blur();
  }

  function isEditable(node) {
    return node instanceof HTMLElement && (node.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(node.tagName));
  }

  function links() {
    return [...list.querySelectorAll(".md-search-result__link")];
  }

  input.addEventListener("focus", open);
  input.addEventListener("input", schedule);
  for (const select of filters) select.addEventListener("change", () => search().catch(() => {}));
  more.addEventListener("click", () => showMore(generation, input.value.trim()).catch(() => {}));
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("reset", () => {
    setTimeout(() => {
      schedule();
      input.focus();
    });
  });

  // The overlay and the back arrow are labels of the toggle: follow them, as Material does.
  toggle.addEventListener("change", () => {
    if (toggle.checked) input.focus();
    else input.blur();
  });

  // A click on a result closes search; Material's instant navigation loads the page.
  list.addEventListener("click", (event) => {
    if (event.target instanceof Element && event.target.closest("a")) close();
  });

  document.addEventListener(
    "keydown",
    (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (!toggle.checked) {
        if (SHORTCUTS.has(event.key) && !isEditable(document.activeElement)) {
          event.preventDefault();
          input.focus();
          input.select();
        }
        return;
      }
      const items = links();
      const position = items.indexOf(document.activeElement);
      if (event.key === "Escape") {
        event.preventDefault();
        close();
      } else if (event.key === "Enter" && document.activeElement === input) {
        event.preventDefault();
        if (items.length) items[0].click();
      } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!items.length || (document.activeElement !== input && position < 0)) return;
        event.preventDefault();
        const next = position + (event.key === "ArrowDown" ? 1 : -1);
        if (next < 0) input.focus();
        else items[Math.min(next, items.length - 1)].focus();
      }
    },
    true,
  );
})();
