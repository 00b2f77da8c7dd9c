/*
 * Find a paper by its id: an arXiv id, a DOI or a citation key, as readers paste them.
 *
 * `identify` recognises an id in what was typed (`arXiv:2406.19976v2`, an arxiv.org
 * abs or pdf URL, `hep-th/9901001`, `https://doi.org/10.1145/3580305`, `10/fvn296`,
 * `pan2024scalebio`) and `find` looks it up in the map the generator writes
 * (generator/lookup.py): `ids/<bucket>.json`, one small file per look-up. search.js uses
 * both for the search box; this script also runs the two routes for links readers
 * already have:
 *   - `SITE/arxiv/?id=2406.19976` (the page generator/templates/lookup.md.j2),
 *   - `SITE/abs/2406.19976` or `SITE/pdf/2406.19976v2` (an arXiv link with this site's
 *     host), which GitHub Pages answers with 404.html (theme_overrides/404.html),
 * sending the reader to the paper's page or saying plainly that it is not in the archive.
 * Everything is fetched relative to this script, so the site works under any sub-path.
 */
(() => {
  "use strict";

  const script = document.currentScript;
  if (!script) return;
  const siteRoot = new URL("../", script.src);
  const lookupDir = new URL("ids/", siteRoot);
  const BUCKETS = 256; // generator/lookup.py

  const ARXIV_NEW = /^(\d{4}\.\d{4,5})(?:v\d+)?$/;
  const ARXIV_OLD = /^([a-z]+(?:-[a-z]+)*(?:\.[a-z]{2})?\/\d{7})(?:v\d+)?$/i;
  const ARXIV_URL = /^(?:https?:\/\/)?(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf|html)\/(.+?)(?:\.pdf)?\/?(?:[?#].*)?$/i;
  const ARXIV_DOI = /^10\.48550\/arxiv\.(.+)$/i;
  const DOI = /^(10\.\d{4,9}\/\S+|10\/[a-z0-9]+)$/i;
  const DOI_URL = /^(?:https?:\/\/)?(?:dx\.)?doi\.org\/(.+)$/i;
  // Citation keys are `<family name><year><first title word>` (generator/bibtex.py).
  const CITATION_KEY = /^(?=.*\p{L})[\p{L}\p{N}_:+-]*\d{4}[\p{L}\p{N}_:+-]*$/u;

  function arxivId(text) {
    const match = ARXIV_NEW.exec(text) || ARXIV_OLD.exec(text);
    return match ? match[1].toLowerCase() : null;
  }

  // What `text` names, or null: `{kind, id, keys}`, `kind` one of "arXiv", "DOI",
  // "citation key"; `keys` are the map's keys to try, in order (generator/lookup.py).
  function identify(text) {
    let query = text.trim().replace(/^<(.*)>$/, "$1").replace(/^(arxiv|doi):\s+/i, "$1:");
    if (!query || /\s/.test(query)) return null;
    const url = ARXIV_URL.exec(query);
    if (url) query = url[1];
    query = query.replace(/^arxiv:\s*/i, "");
    const arxiv = arxivId(query);
    if (arxiv) return { kind: "arXiv", id: arxiv, keys: [`arxiv:${arxiv}`] };
    if (url) return null; // an arxiv.org link to something else (a listing, a search)
    const doiUrl = DOI_URL.exec(query);
    let doi = doiUrl ? safeDecode(doiUrl[1]) : query.replace(/^doi:\s*/i, "");
    doi = doi.replace(/[.,;]$/, ""); // pasted from the end of a sentence
    if (DOI.test(doi)) {
      const arxivDoi = ARXIV_DOI.exec(doi);
      const inArxiv = arxivDoi && arxivId(arxivDoi[1]);
      const keys = [`doi:${doi.toLowerCase()}`, ...(inArxiv ? [`arxiv:${inArxiv}`] : [])];
      return { kind: "DOI", id: doi, keys };
    }
    if (doiUrl) return null;
    if (CITATION_KEY.test(query)) {
      return { kind: "citation key", id: query, keys: [`key:${query.toLowerCase()}`] };
    }
    return null;
  }

  function safeDecode(text) {
    try {
      return decodeURIComponent(text);
    } catch {
      return text;
    }
  }

  // FNV-1a over the key's UTF-8 bytes, its low byte in hex (generator/lookup.py `bucket_of`).
  function bucketOf(key) {
    let hash = 0x811c9dc5;
    for (const byte of new TextEncoder().encode(key)) {
      hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
    }
    return (hash % BUCKETS).toString(16).padStart(2, "0");
  }

  const buckets = new Map(); // bucket name to the promise of its entries
  function bucket(name) {
    if (!buckets.has(name)) {
      const entries = fetch(new URL(`${name}.json`, lookupDir))
        .then((response) => {
          if (!response.ok) throw new Error(`${response.status} ${response.url}`);
          return response.json();
        })
        .catch((error) => {
          buckets.delete(name); // try again next time
          throw error;
        });
      buckets.set(name, entries);
    }
    return buckets.get(name);
  }

  // The paper `found` names (`identify`'s answer): `{url, title, authors, date}`, or null.
  // Rejects when the map cannot be read (offline, or a site built without it).
  async function find(found) {
    for (const key of found.keys) {
      const record = (await bucket(bucketOf(key)))[key];
      if (Array.isArray(record)) {
        const [path, title, authors, date] = record;
        return { url: new URL(path, siteRoot).href, title, authors, date };
      }
    }
    return null;
  }

  window.paperArchiveLookup = { identify, find };

  // The routes: the id comes from `?id=` (the lookup page) or from the path (404.html).
  async function route() {
    const status = document.querySelector("[data-pa-lookup-status]");
    if (!status) return;
    const fromPath = status.dataset.paLookupStatus === "path";
    const text = fromPath ? idInPath() : new URLSearchParams(location.search).get("id");
    if (text === null || !text.trim()) return;
    const input = document.querySelector("[data-pa-lookup-input]");
    if (input) input.value = text;
    const found = identify(text);
    if (!found) {
      if (!fromPath) say(status, `“${text}” is not an arXiv id, a DOI or a citation key.`);
      return;
    }
    say(status, `Looking up ${found.kind} ${found.id}…`);
    let paper;
    try {
      paper = await find(found);
    } catch {
      say(status, `Could not read this archive's list of ids: try the search box.`);
      return;
    }
    if (paper) {
      location.replace(paper.url);
      return;
    }
    say(status, `The paper with ${found.kind} ${found.id} is not in this archive.`);
    const elsewhere = found.kind === "arXiv" ? `https://arxiv.org/abs/${found.id}` : found.kind === "DOI" ? `https://doi.org/${found.id}` : null;
    if (elsewhere) {
      const link = Object.assign(document.createElement("a"), { href: elsewhere, textContent: elsewhere });
      status.append(" It may be at ", link, ".");
    }
  }

  // `abs/2406.19976`, `pdf/hep-th/9901001v2.pdf`: what follows the site's root on a page
  // GitHub Pages answered with 404.html; null for any other missing page.
  function idInPath() {
    const path = safeDecode(location.pathname);
    const root = safeDecode(siteRoot.pathname);
    if (!path.startsWith(root)) return null;
    const match = /^(?:abs|pdf)\/(.+?)\/?$/.exec(path.slice(root.length));
    return match ? `arXiv:${match[1].replace(/\.pdf$/i, "")}` : null;
  }

  function say(status, text) {
    status.hidden = false;
    status.textContent = text;
  }

  // With instant navigation, Material swaps pages without reloading scripts: run on each.
  if (window.document$) window.document$.subscribe(() => route());
  else route();
})();
