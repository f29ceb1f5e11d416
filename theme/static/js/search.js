/* The search page: Pagefind's JavaScript API, results filtered by kind of page and by topic.
   The form also works as plain GET (?q=...&kind=...&topic=...), so results can be linked. */
(function () {
  "use strict";
  var form = document.querySelector("form.search-page");
  if (!form || !("noModule" in HTMLScriptElement.prototype)) return;
  var input = form.querySelector("input[name=q]");
  var box = document.getElementById("search-filters");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var GROUPS = [["kind", "Kind of page"], ["topic", "Topic"]];
  var LIMIT = 20;
  var params = new URLSearchParams(location.search);
  var pagefind = null, ticket = 0, timer = 0;

  document.getElementById("search-nojs").hidden = true;
  input.value = params.get("q") || "";
  status.textContent = "Loading search…";

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function buildFilters(filters) {
    GROUPS.forEach(function (group) {
      var values = filters[group[0]];
      if (!values || !Object.keys(values).length) return;
      var set = el("fieldset");
      set.appendChild(el("legend", group[1]));
      Object.keys(values).sort().forEach(function (value) {
        var label = el("label"), check = el("input");
        check.type = "checkbox";
        check.name = group[0];
        check.value = value;
        check.checked = params.getAll(group[0]).indexOf(value) >= 0;
        label.appendChild(check);
        label.appendChild(document.createTextNode(" " + value + " (" + values[value] + ")"));
        set.appendChild(label);
      });
      box.appendChild(set);
    });
    box.hidden = !box.children.length;
  }

  function chosen() {
    var filters = {}, count = 0;
    box.querySelectorAll("input:checked").forEach(function (c) {
      (filters[c.name] = filters[c.name] || { any: [] }).any.push(c.value);
      count++;
    });
    return count ? filters : null;
  }

  /* Pagefind's excerpt is escaped text with <mark>: rebuild it as text nodes and marks only. */
  function excerpt(html) {
    var p = el("p", "", "search-excerpt");
    var body = new DOMParser().parseFromString(html, "text/html").body;
    body.childNodes.forEach(function (node) {
      p.appendChild(node.nodeName === "MARK" ? el("mark", node.textContent)
        : document.createTextNode(node.textContent));
    });
    return p;
  }

  function render(pages, total, query) {
    list.textContent = "";
    pages.forEach(function (page) {
      var item = el("li"), link = el("a", page.meta.title || page.url);
      link.href = page.url;
      var kind = page.filters && page.filters.kind;
      if (kind && kind.length) item.appendChild(el("span", kind.join(", "), "search-kind"));
      item.appendChild(el("h2", "", "search-title")).appendChild(link);
      item.appendChild(excerpt(page.excerpt || ""));
      list.appendChild(item);
    });
    var what = query ? " for “" + query + "”" : "";
    status.textContent = total === 0 ? "No pages found" + what + "."
      : total + (total === 1 ? " page" : " pages") + " found" + what
        + (total > LIMIT ? "; showing the first " + LIMIT : "") + ".";
  }

  function run() {
    if (!pagefind) return;
    var query = input.value.trim(), filters = chosen(), mine = ++ticket;
    var state = new URLSearchParams(new FormData(form)).toString();
    history.replaceState(null, "", state && (query || filters) ? "?" + state : location.pathname);
    if (!query && !filters) {
      list.textContent = "";
      status.textContent = "";
      return;
    }
    pagefind.search(query || null, filters ? { filters: filters } : {}).then(function (search) {
      var top = search.results.slice(0, LIMIT);
      return Promise.all(top.map(function (r) { return r.data(); })).then(function (pages) {
        if (mine === ticket) render(pages, search.results.length, query);
      });
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    run();
  });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, 250);
  });
  box.addEventListener("change", run);

  var bundle = new URL(form.getAttribute("data-bundle"), location.href);
  import(bundle.href + "pagefind.js").then(function (module) {
    pagefind = module;
    return pagefind.options({ baseUrl: new URL(form.getAttribute("data-site"), location.href).pathname });
  }).then(function () {
    return pagefind.filters();
  }).then(function (filters) {
    buildFilters(filters);
    status.textContent = "";
    run();
  }).catch(function () {
    status.textContent = "Search could not be loaded. Please use the topic index instead.";
    document.getElementById("search-nojs").hidden = false;
  });
})();
