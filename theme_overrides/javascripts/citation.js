/*
 * A paper page's `citation_abstract` (Highwire), which reference managers' browser
 * connectors read, Zotero's among them: made from the abstract the page shows, with its
 * math as text, rather than carried twice by every paper page. Google Scholar reads the
 * abstract on the page itself.
 *
 * theme_overrides/main.html puts this script in the content of paper pages, so Material's
 * instant navigation, which runs the scripts of the content it swaps in, runs it on each
 * paper page it shows; it keeps the head in step with each page, which takes the last
 * page's tag away.
 */
(() => {
  "use strict";

  const abstract = document.querySelector("article .pa-abstract");
  if (!abstract) return;
  const tag = document.createElement("meta");
  tag.name = "citation_abstract";
  tag.content = abstract.textContent.replace(/\s+/g, " ").trim();
  document.head.append(tag);
})();
