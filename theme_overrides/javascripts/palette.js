/*
 * The colour scheme toggle in the header, and the reader's scheme restored before the page
 * shows (theme_overrides/partials/header.html loads this file blocking, where Material's
 * palette form was, so nothing flashes in the wrong scheme).
 *
 * The toggle is Material's form (partials/palette.html of Material 9.8.1), made here rather
 * than carried by every page: it only works with Material's script anyway, and it weighed
 * 0.95 KB of each page. The schemes, one entry per option of mkdocs.yml `theme.palette`
 * ([media, scheme, primary, accent, toggle name or null]), are javascripts/head.js's
 * `__pa_palette`, rendered from the configuration; under Zensical, which renders no static
 * template, the header passes them in `data-pa-palette` (partials/palette.html). The form is
 * in the page before Material's script runs, which finds it there, and the header, this
 * form included, stays as it is across instant navigation.
 */
(() => {
  "use strict";

  const script = document.currentScript;
  const options =
    "paPalette" in script.dataset ? JSON.parse(script.dataset.paPalette) : __pa_palette;
  const form = document.createElement("form");
  form.className = "md-header__option";
  form.dataset.mdComponent = "palette";
  options.forEach(([media, scheme, primary, accent, name], index) => {
    const input = document.createElement("input");
    input.className = "md-option";
    Object.assign(input.dataset, {
      mdColorMedia: media, mdColorScheme: scheme, mdColorPrimary: primary, mdColorAccent: accent,
    });
    input.type = "radio";
    input.name = "__palette";
    input.id = `__palette_${index}`;
    form.append(input);
    if (name === null) {
      input.setAttribute("aria-hidden", "true");
      return;
    }
    input.setAttribute("aria-label", name);
    const label = document.createElement("label");
    label.className = "md-header__button md-icon";
    label.title = name;
    label.htmlFor = `__palette_${(index + 1) % options.length}`;
    label.hidden = true;
    label.innerHTML = icon(`palette-${index}`);
    form.append(label);
  });
  script.before(form);

  // An icon of the header's (partials/sprite.html), as javascripts/search.js takes its own:
  // from the sprite, whose symbols keep their viewBox, or, where icons are inline
  // (Zensical), from the copies the header holds for this script.
  function icon(id) {
    // A template's content is no part of the document: each one is searched in turn.
    for (const template of document.querySelectorAll("template[data-pa-icons]")) {
      const inline = template.content.querySelector(`[data-pa-icon="${id}"]`);
      if (inline) return inline.innerHTML;
    }
    return `<svg><use xlink:href="${new URL(`../assets/icons.svg#${id}`, script.src).href}"/></svg>`;
  }

  // Material 9.8.1 partials/javascripts/palette.html: the reader's saved scheme, or, where
  // it follows the system's, the option for the system's current one.
  const palette = __md_get("__palette");
  if (palette && palette.color) {
    if (palette.color.media === "(prefers-color-scheme)") {
      const media = matchMedia("(prefers-color-scheme: light)");
      const input = document.querySelector(media.matches
        ? "[data-md-color-media='(prefers-color-scheme: light)']"
        : "[data-md-color-media='(prefers-color-scheme: dark)']");
      palette.color.media = input.getAttribute("data-md-color-media");
      palette.color.scheme = input.getAttribute("data-md-color-scheme");
      palette.color.primary = input.getAttribute("data-md-color-primary");
      palette.color.accent = input.getAttribute("data-md-color-accent");
    }
    for (const [key, value] of Object.entries(palette.color)) {
      document.body.setAttribute(`data-md-color-${key}`, value);
    }
  }
})();
