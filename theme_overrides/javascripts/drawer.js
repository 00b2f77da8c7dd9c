/*
 * The navigation drawer of a page outside the site's navigation (partials/nav.html leaves
 * it empty): filled from the tabs, as Material's partials/nav.html would write it. Such a
 * page is nearly every page of an archive, and its drawer held only the tabs' links again,
 * 1.2 KB of each. On a desktop the drawer shows nothing on these pages, as before; on a
 * phone it is the menu. Instant navigation swaps the page below the header, drawer and
 * tabs included, so each new page's drawer is filled in turn (Material's `document$`).
 */
(() => {
  "use strict";

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

  function element(name, className) {
    const node = document.createElement(name);
    node.className = className;
    return node;
  }

  fill();
  if (window.document$) window.document$.subscribe(fill);
})();
