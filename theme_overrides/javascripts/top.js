/*
 * Material's back-to-top button (its partials/top.html, 9.8.1, with `navigation.top`), made
 * here rather than carried by every page: it only works with Material's script anyway.
 * Material looks for it on each page it shows (at DOMContentLoaded, which comes after this
 * script, and after each instant navigation); it is put after the part of the page that
 * instant navigation swaps, so the one button serves every page the reader goes on to.
 * Its label, Material's "Back to top" in the site's language, is the data-pa-top of the
 * script tag (main.html), its icon the sprite's (partials/sprite.html).
 */
(() => {
  "use strict";

  const script = document.currentScript;
  const container = document.querySelector("[data-md-component=container]");
  if (!script || !container) return;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "md-top md-icon";
  button.dataset.mdComponent = "top";
  button.hidden = true;
  // A template's content is no part of the document: each one is searched in turn.
  const inline = [...document.querySelectorAll("template[data-pa-icons]")]
    .map((template) => template.content.querySelector('[data-pa-icon="top"]'))
    .find(Boolean);
  button.innerHTML = inline
    ? inline.innerHTML
    : `<svg><use xlink:href="${new URL("../assets/icons.svg#top", script.src).href}"/></svg>`;
  button.append(script.dataset.paTop);
  container.after(button);
})();
