{#- A static template (mkdocs.yml `static_templates`), rendered once for the whole site from
    the configuration; partials/javascripts/base.html loads it, blocking, in every page's head.
    What Material and javascripts/palette.js need before anything else runs, which Material
    would write into every page: -#}
/*
 * Material's store of the reader's settings (colour scheme, dismissed banners...), its
 * partials/javascripts/base.html of 9.8.1, as it is but for where the scope (the site's
 * root, under which settings are kept) comes from: Material's `new URL(base_url, location)`,
 * here this file's own folder's parent, which is the same address from any page; or
 * mkdocs.yml `extra.scope` where it sets one, as in Material.
 */
__md_scope={% if config.extra.scope %}new URL({{ config.extra.scope | tojson }},location){% else %}new URL("..",document.currentScript.src){% endif %},__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}};
{%- import "partials/palette-options.html" as palette with context %}

// The colour schemes of mkdocs.yml `theme.palette`, for javascripts/palette.js.
__pa_palette={{ palette.json() }};
{%- import "partials/settings.html" as settings with context %}

// Material's settings (partials/settings.html), which its script reads from the element
// `#__config` as it starts; `base` is the site's root, as __md_scope's default.
document.head.append(Object.assign(document.createElement("script"), {
  id: "__config",
  type: "application/json",
  textContent: JSON.stringify({
    ...{{ settings.json(".") }},
    base: new URL("..", document.currentScript.src).href,
  }),
}));
