/*
 * The navigation drawer of a page outside the site's navigation (partials/nav.html leaves
 * it empty): filled from the tabs, as Material's partials/nav.html would write it. Such a
 * page is nearly every page of an archive, and its drawer held only the tabs' links again,
 * 1.2 KB of each. On a desktop the drawer shows nothing on these pages, as before; on a
 * phone it is the menu. Instant navigation swaps the page below the header, drawer and
 * tabs included, so each new page's drawer is filled in turn (Material's `document$`).
 *
 * A page without a drawer (an author's) leaves the header's menu button out, and names it
 * in `data-pa-menu`: the header stays across instant navigation, so the button is put in
 * here, where the page has it, after the logo, for the pages with a drawer that follow
 * (stylesheets/archive.css hides it on a page without).
 */
(() => {
  "use strict";

  const script = document.currentScript;
  const menu = script.dataset.paMenu;
  const logo = document.querySelector(".md-header .md-logo");
  if (menu && logo && !document.querySelector('.md-header__button[for="__drawer"]')) {
    const button = element("label", "md-header__button md-icon");
    button.htmlFor = "__drawer";
    button.title = menu;
    button.setAttribute("aria-label", menu);
    button.innerHTML = icon("menu");
    logo.after(button);
  }

  function fill() {
    const drawer = document.querySelector("nav[data-pa-drawer]:empty");
    const logo = document.querySelector(".md-header .md-logo");
    const name = document.querySelector(".md-header__topic .md-ellipsis");
    if (!drawer || !logo || !name) return;
    const title = element("label", "md-nav__title");
    title.htmlFor = "__drawer";
    const home = logo.cloneNode(true);
    home.className = "md-nav__button md-logo";
    home.removeAttribute("data-md-component"); // the header's logo is the one swapped
    title.append(home, name.textContent.trim());
    const list = element("ul", "md-nav__list");
    list.dataset.mdScrollfix = "";
    for (const tab of document.querySelectorAll(".md-tabs__link")) {
      const link = element("a", "md-nav__link");
      link.setAttribute("href", tab.getAttribute("href"));
      link.textContent = tab.textContent.trim();
      const item = element("li", "md-nav__item");
      item.append(link);
      list.append(item);
    }
    drawer.append(title, list);
  }

  // An icon of the header's (partials/sprite.html), as javascripts/search.js takes its own.
  function icon(id) {
    // A template's content is no part of the document: each one is searched in turn.
    for (const template of document.querySelectorAll("template[data-pa-icons]")) {
      const inline = template.content.querySelector(`[data-pa-icon="${id}"]`);
      if (inline) return inline.innerHTML;
    }
    return `<svg><use xlink:href="${new URL(`../assets/icons.svg#${id}`, script.src).href}"/></svg>`;
  }

  function element(name, className) {
    const node = document.createElement(name);
    node.className = className;
    return node;
  }

  fill();
  if (window.document$) window.document$.subscribe(fill);
})();
