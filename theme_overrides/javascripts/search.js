/*
 * Pagefind search in Material's header (partials/header.html: its search button).
 *
 * Why not Material's own search: it downloads one index of the whole archive into every
 * reader's browser (39 MB at 10,000 papers). Pagefind loads only the index chunks and
 * result fragments a query needs. This script keeps Material's behaviour: the same box,
 * "/", "s" or "f" to search, Escape to close, arrow keys and Enter to pick a result, and
 * Material's result markup, so the theme styles it in light and dark mode.
 *
 * The bundle is loaded on first use, relative to this script, so the site works under
 * any sub-path (a GitHub project site) and readers who never search download nothing.
 * The box itself is made here too, beside the header's search button (`dialog`): search
 * needs this script anyway, and the box's markup in every page weighed 1.5 KB of it.
 *
 * A pasted id (arXiv id or URL, DOI, citation key) is looked up exactly with lookup.js
 * rather than searched as words. The search lives in the page's URL (`?q=…&tag=…&year=…
 * &venue=…&sort=newest`): a link or a reload opens it again, and Back and Forward step
 * through earlier searches.
 */
(() => {
  "use strict";

  const PAGE_SIZE = 10; // results whose fragments are fetched at a time
  const SNIPPET_WORDS = 28;
  const PROSE_ANCHOR = "abstract"; // generator/search.py: where the abstract starts
  // Search as the reader types, once the last word has this many letters: a longer prefix
  // matches few words, so its search is quick and warms up Pagefind for the search of what
  // is finally typed. A shorter last word is a prefix of many words: searching it costs
  // time and index chunks that the finished word will not need, so it waits for a pause.
  const EAGER_LAST_WORD = 4;
  const PAUSE_MS = 150;
  // A search cannot be stopped once started, and its time grows with the pages found (20 ms
  // for 1,400 of 10,000 papers, 150 to 400 ms for 6,000). While searches are quick, the last
  // key's search waits for the one running (half of one on average); after a slow one,
  // waiting for a pause is quicker.
  const SLOW_SEARCH_MS = 2 * PAUSE_MS;
  // A one-letter last word is searched as a prefix of most words in the archive (0.6 s at
  // 10,000 papers for "c"); wait for the second letter.
  const MIN_LAST_WORD = 2;
  // Words in nearly every abstract: searching one ("of" in "mixture of experts") fetches a
  // large index chunk per shard and doubles the search time, for the same results in the
  // same order. Left out of a longer query unless it is the last word (still being typed)
  // or the query is an exact phrase ("...").
  const STOP_WORDS = new Set(
    "a an and are as at be by for from in into is of on or the to with".split(" "),
  );
  const SHORTCUTS = new Set(["/", "s", "f"]); // Material's keys for opening search
  // Keys typed this close together make one history entry: Back goes to the previous
  // search, not to the previous letter.
  const HISTORY_PAUSE_MS = 1000;
  // While typing, the URL follows once the keys pause this long: browsers refetch the
  // favicon on each change, and Safari refuses more than 100 changes in 30 seconds.
  const URL_DELAY_MS = 300;

  const script = document.currentScript;
  const toggle = document.getElementById("__search");
  const button = document.querySelector('.md-header__button[for="__search"]');
  if (!script || !toggle || !button) return;

  const root = dialog(button);
  const bundleDir = new URL("../pagefind/", script.src);
  const form = root.querySelector("form");
  const input = root.querySelector("[data-pa-search-query]");
  const status = root.querySelector("[data-pa-search-status]");
  const list = root.querySelector(".md-search-result__list");
  const more = root.querySelector("[data-pa-search-more]");
  // Pagefind filters (generator/search.py), then the order: made here rather than in every
  // page's header, which readers who never search would download on each page.
  const filters = ["tag", "year", "venue"].map((name) =>
    Object.assign(select(`Filter by ${name}`, { "": `All ${name}s` }, { paSearchFilter: name }), { disabled: true }),
  );
  const sort = select("Sort results", { "": "Best match", newest: "Newest first" }, { paSearchSort: "" });
  root.querySelector("[data-pa-search-filters]").append(...filters, sort);
  const STATE_PARAMS = ["q", "sort", ...filters.map((select) => select.dataset.paSearchFilter)];

  // Material's search box (its partials/search.html, less `data-md-component="search"` and
  // the form's `name="search"`, either of which starts Material's own search), put after
  // the header's search button: Material's stylesheet lays it out there, in light and dark
  // mode, and instant navigation keeps the header, so it is made once. No suggestion or
  // share button: the page's URL holds the search. Its words follow the button's name.
  function dialog(opener) {
    const name = opener.getAttribute("aria-label");
    const box = element("div", "md-search");
    box.dataset.paSearch = "";
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-label", name);
    box.innerHTML = `<label class="md-search__overlay" for="__search"></label>
<div class="md-search__inner" role="search"><form class="md-search__form">
<input type="text" class="md-search__input" name="query" autocapitalize="off" autocorrect="off" autocomplete="off" spellcheck="false" aria-controls="pa-search-results" data-pa-search-query required>
<label class="md-search__icon md-icon" for="__search">${icon("search")}${icon("previous")}</label>
<nav class="md-search__options"><button type="reset" class="md-search__icon md-icon" title="Clear" aria-label="Clear" tabindex="-1">${icon("close")}</button></nav>
</form><div class="md-search__output"><div class="md-search__scrollwrap" tabindex="0" data-md-scrollfix>
<div class="md-search-result" id="pa-search-results" data-pa-search-result>
<div class="md-search-result__meta pa-search-meta"><span data-pa-search-status aria-live="polite">Initializing search</span><span class="pa-search-filters" data-pa-search-filters></span></div>
<ol class="md-search-result__list" role="presentation"></ol>
<button type="button" class="pa-search-more" data-pa-search-more hidden>More results</button>
</div></div></div></div>`;
    const field = box.querySelector("[data-pa-search-query]");
    field.setAttribute("aria-label", name);
    field.placeholder = name;
    box.querySelector("nav").setAttribute("aria-label", name);
    opener.after(box);
    return box;
  }

  // An icon of the header's (theme_overrides/partials/sprite.html): from the sprite, by an
  // absolute address, as the box outlives the page it was made on; or, where the header's
  // icons are inline (Zensical), from the copies the header holds for this script.
  function icon(id) {
    // A template's content is no part of the document: each one is searched in turn.
    for (const template of document.querySelectorAll("template[data-pa-icons]")) {
      const inline = template.content.querySelector(`[data-pa-icon="${id}"]`);
      if (inline) return inline.innerHTML;
    }
    return `<svg><use xlink:href="${new URL(`../assets/icons.svg#${id}`, script.src).href}"/></svg>`;
  }

  // A <select> named `label` with `options` (value to text) and `data-*` attributes `data`.
  function select(label, options, data) {
    const node = element("select");
    node.setAttribute("aria-label", label);
    for (const [value, text] of Object.entries(options)) node.append(new Option(text, value));
    Object.assign(node.dataset, data);
    return node;
  }

  let pagefind = null; // Promise of the Pagefind module, once loading started
  let generation = 0; // bumped by every change of query or filter: older answers are dropped
  let timer = 0;
  // Pagefind's worker runs one search at a time and a search cannot be stopped, so at most
  // one is sent: while it runs, only the newest request waits, and older ones are never run.
  let searching = false;
  let wanted = false;
  let lastSearchMs = 0; // how long Pagefind's last search took, index chunks loaded
  let pending = []; // results found but not shown yet ("More results")
  let lastTyped = -Infinity; // when typing last wrote the URL (`writeUrl`)
  let urlTimer = 0; // a typed query waiting to be written to the URL
  let typed = false; // whether the last change was a key typed in the box

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
      pagefind.catch(async () => {
        // An archive without papers has settings but no index (Pagefind writes none).
        const { pages } = await settings;
        status.textContent =
          pages === 0
            ? "No papers to search yet."
            : "Search is not available: the search index was not built (run make build).";
        busy(false);
      });
    }
    return pagefind;
  }

  function fillFilters(counts) {
    for (const select of filters) {
      const chosen = select.value; // restored from the URL before the values arrived
      const values = Object.entries(counts[select.dataset.paSearchFilter] || {});
      const byYear = select.dataset.paSearchFilter === "year";
      values.sort(([a], [b]) => (byYear ? b.localeCompare(a) : a.localeCompare(b)));
      select.replaceChildren(select.options[0]);
      for (const [value, count] of values) {
        select.append(new Option(`${value} (${count})`, value));
      }
      choose(select, chosen);
      select.disabled = values.length === 0 && !chosen;
    }
  }

  // Select `value`, adding it when the archive has no such value (a stale shared link):
  // the search then says it found nothing, rather than quietly searching everything.
  function choose(select, value) {
    if (value && ![...select.options].some((option) => option.value === value)) {
      select.append(new Option(`${value} (0)`, value));
    }
    select.value = value;
  }

  function chosenFilters() {
    const chosen = {};
    for (const select of filters) {
      if (select.value) chosen[select.dataset.paSearchFilter] = select.value;
    }
    return chosen;
  }

  function lastWord(query) {
    return query.split(/\s+/).pop();
  }

  function isStopWord(word) {
    return STOP_WORDS.has(word.toLowerCase().replace(/[^\p{L}\p{N}]/gu, ""));
  }

  // The words Pagefind is asked for: the query without stop words (`STOP_WORDS`).
  function searchWords(query) {
    const words = query.split(/\s+/).filter(Boolean);
    if (/^".+"$/.test(query)) return words;
    return words.filter((word, index) => index === words.length - 1 || !isStopWord(word));
  }

  // A one-letter last word waits for the next key while the reader types (`MIN_LAST_WORD`);
  // a query restored from the URL, or a filter chosen after it, is searched as it is.
  function searchable(query) {
    return query === "" || !typed || lastWord(query).length >= MIN_LAST_WORD;
  }

  // The query (`typing`) or a filter changed; `restoring`: to what the URL says.
  function changed(typing, restoring = false) {
    generation++; // what was asked before is not what is wanted now
    clearTimeout(timer);
    wanted = false;
    pending = []; // nor more of its results
    more.hidden = true;
    typed = typing;
    if (!restoring) remember(typing);
    const query = input.value.trim();
    if (typing || restoring) {
      // Results of the previous query are not results of this one, even for a moment.
      list.replaceChildren();
      status.textContent = "";
    }
    busy(searchable(query));
    if (!searchable(query)) return;
    const longWord = lastWord(query).length >= EAGER_LAST_WORD;
    if (!typing || !query || (longWord && lastSearchMs < SLOW_SEARCH_MS)) {
      request();
      return;
    }
    if (longWord) {
      // Fetch its index chunks meanwhile: no search is keeping the worker busy.
      load()
        .then((module) => module.preload(searchWords(query).join(" "), { filters: chosenFilters() }))
        .catch(() => {});
    }
    timer = setTimeout(request, PAUSE_MS);
  }

  function request() {
    wanted = true;
    if (searching) return; // the running search asks again when it ends
    searching = true;
    (async () => {
      while (wanted) {
        wanted = false;
        await search(generation).catch(() => busy(wanted)); // done unless asked again
      }
      searching = false;
    })();
  }

  // Search for what is asked now (`current`); show the answer only if nothing changed meanwhile.
  async function search(current) {
    const query = input.value.trim();
    const chosen = chosenFilters();
    if (!searchable(query)) return;
    if (!query && Object.keys(chosen).length === 0) {
      status.textContent = "Type to start searching";
      list.replaceChildren();
      more.hidden = true;
      busy(false);
      return;
    }
    if (await foundById(current, query)) return;
    const module = await load();
    if (current !== generation) return;
    const words = searchWords(query);
    // No words but a filter: list the filter's papers, newest first.
    const found = await module.search(query ? words.join(" ") : null, {
      filters: chosen,
      sort: !query || sort.value === "newest" ? { date: "desc" } : {},
    });
    // Pagefind's own time of each shard's search, not counting the loading of index chunks.
    lastSearchMs = [found.timings].flat().reduce((sum, timing) => sum + (timing?.search || 0), 0);
    if (current !== generation) return;
    const count = found.results.length;
    status.textContent = count === 0 ? "No matching papers" : count === 1 ? "1 matching paper" : `${count} matching papers`;
    if (count === 0) {
      list.replaceChildren();
      busy(false);
    }
    pending = found.results;
    // Not awaited: the next search need not wait for these fragments.
    showMore(current, words, true).catch(() => {});
  }

  // Answer a query that is an id (lookup.js) with its paper alone, whatever the filters;
  // say so when an arXiv id or DOI is not in the archive, as its words would only find
  // unrelated papers. Return false when the words should be searched: no id, a
  // citation-key-like word that is no key, or no id map to read.
  async function foundById(current, query) {
    const lookup = window.paperArchiveLookup;
    const id = lookup && lookup.identify(query);
    if (!id) return false;
    const paper = await lookup.find(id).catch(() => undefined);
    if (current !== generation) return true;
    if (paper === undefined || (paper === null && id.kind === "citation key")) return false;
    status.textContent = paper ? `The paper with ${id.kind} ${id.id}` : `No paper with ${id.kind} ${id.id} in this archive`;
    const item = paper && { url: paper.url, meta: { title: paper.title, authors: paper.authors, date: paper.date } };
    list.replaceChildren(...(item ? [renderResult(item, [], `${id.kind} ${id.id}`)] : []));
    more.hidden = true;
    busy(false);
    return true;
  }

  // `fresh`: replace the previous results with the first new one, not before (no flicker).
  async function showMore(current, words, fresh = false) {
    const batch = pending.slice(0, PAGE_SIZE).map((result) => result.data()); // fetched in parallel
    pending = pending.slice(PAGE_SIZE);
    more.hidden = true;
    const marked = words.map((word) => word.toLowerCase().replace(/^"|"$/g, "")).filter(Boolean);
    for (const data of batch) {
      const item = await data; // shown in rank order, each as soon as it and those above are in
      if (current !== generation) return;
      if (fresh) list.replaceChildren(renderResult(item, marked));
      else list.append(renderResult(item, marked));
      fresh = false;
    }
    more.hidden = pending.length === 0;
    if (current === generation) busy(false);
  }

  // `aria-busy` on the list: true from a change until its results are all shown, so
  // assistive technology (and the browser tests) read a finished list.
  function busy(value) {
    list.setAttribute("aria-busy", String(value));
  }

  // `note`: shown instead of a snippet (the id a paper was found by).
  function renderResult(item, words, note) {
    const meta = item.meta || {};
    const link = element("a", "md-search-result__link");
    link.href = item.url;
    link.tabIndex = -1;
    const article = element("article", "md-search-result__article md-typeset");
    article.append(highlighted(element("h1"), meta.title || item.url, words));
    const facts = [meta.authors, (meta.date || "").slice(0, 4)].filter(Boolean).join(" · ");
    if (facts) article.append(highlighted(element("p", "pa-search-result__byline"), facts, words));
    article.append(note ? Object.assign(element("p", "pa-search-result__id"), { textContent: note }) : snippet(item));
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

  // The search as URL parameters: `q`, each filter chosen, `sort` unless by relevance.
  function searchParams() {
    const params = new URLSearchParams();
    if (input.value.trim()) params.set("q", input.value.trim());
    for (const [name, value] of Object.entries(chosenFilters())) params.set(name, value);
    if (sort.value) params.set("sort", sort.value);
    return params;
  }

  // This page's URL with `params` in place of any search it had; other parameters stay.
  function urlWith(params) {
    const url = new URL(location.href);
    for (const name of STATE_PARAMS) url.searchParams.delete(name);
    for (const [name, value] of params) url.searchParams.set(name, value);
    return url.href;
  }

  function inUrl(params) {
    return STATE_PARAMS.some((name) => params.has(name));
  }

  // Put the search in the URL: a new history entry, unless typing goes on (one entry a burst).
  function remember(typing) {
    clearTimeout(urlTimer);
    urlTimer = 0;
    if (typing) urlTimer = setTimeout(() => writeUrl(true), URL_DELAY_MS);
    else writeUrl(false);
  }

  function writeUrl(typing) {
    urlTimer = 0;
    const url = urlWith(searchParams());
    const now = performance.now();
    try {
      if (url !== location.href) {
        if (typing && now - lastTyped < HISTORY_PAUSE_MS) history.replaceState(history.state, "", url);
        else history.pushState(null, "", url);
      }
    } catch {
      // Past Safari's limit the URL lags until the next change; the search itself goes on.
    }
    lastTyped = typing ? now : -Infinity;
  }

  // What was typed goes to the URL now (before a result is followed), or never (`false`).
  function settleUrl(write) {
    if (urlTimer && write) writeUrl(true);
    clearTimeout(urlTimer);
    urlTimer = 0;
  }

  // Show the search the URL holds (a shared link, a reload, Back or Forward); close the box
  // when it holds none.
  function restore() {
    settleUrl(false);
    const params = new URLSearchParams(location.search);
    if (!inUrl(params)) {
      if (searchParams().toString()) {
        input.value = "";
        for (const select of [...filters, sort]) select.value = "";
        changed(false, true);
        close(false);
      }
      return;
    }
    input.value = params.get("q") || "";
    for (const select of filters) choose(select, params.get(select.dataset.paSearchFilter) || "");
    choose(sort, params.get("sort") === "newest" ? "newest" : "");
    lastTyped = -Infinity;
    open();
    changed(false, true);
  }

  function open() {
    toggle.checked = true;
    load().catch(() => {});
  }

  // `forget`: drop the search from the URL too, as the reader closed it (not left by a result).
  function close(forget) {
    settleUrl(!forget);
    toggle.checked = false;
    input.blur();
    if (forget) {
      const url = urlWith(new URLSearchParams());
      if (url !== location.href) history.replaceState(history.state, "", url);
    }
  }

  function isEditable(node) {
    return node instanceof HTMLElement && (node.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(node.tagName));
  }

  function links() {
    return [...list.querySelectorAll(".md-search-result__link")];
  }

  input.addEventListener("focus", open);
  input.addEventListener("input", () => changed(true));
  for (const select of [...filters, sort]) select.addEventListener("change", () => changed(false));
  more.addEventListener("click", () => showMore(generation, searchWords(input.value.trim())).catch(() => {}));
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("reset", () => {
    setTimeout(() => {
      changed(false);
      input.focus();
    });
  });

  // The overlay and the back arrow are labels of the toggle: follow them, as Material does.
  // Material also closes search, by clicking the toggle, 125 ms after every change of page
  // or history entry: a search that Back or Forward restored (`restore`) stays open.
  let closedByReader = false;
  for (const label of document.querySelectorAll('label[for="__search"]')) {
    label.addEventListener("click", () => {
      closedByReader = toggle.checked;
    });
  }
  toggle.addEventListener("change", () => {
    if (toggle.checked) input.focus();
    else if (!closedByReader && inUrl(new URLSearchParams(location.search))) toggle.checked = true;
    else close(closedByReader);
    closedByReader = false;
  });

  // A click on a result closes search; Material's instant navigation loads the page, and
  // Back comes back to this search.
  list.addEventListener("click", (event) => {
    if (event.target instanceof Element && event.target.closest("a")) close(false);
  });

  window.addEventListener("popstate", restore);
  restore();

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
        close(true);
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
