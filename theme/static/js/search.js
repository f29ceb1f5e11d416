/* The search page: Pagefind's JavaScript API, results filtered by kind of page and by topic.
   The form also works as plain GET (?q=...&kind=...&topic=...), so results can be linked.
   Each option's count is what it would find with the query and the other groups' choices
   (options of one group add up, groups narrow); options that would find nothing are hidden,
   so the visible ones never combine into an empty page. Sentences come from the form's
   data-text-* attributes (the template's words, translated with it). */
(function () {
  "use strict";
  var form = document.querySelector("form.search-page");
  if (!form || !("noModule" in HTMLScriptElement.prototype)) return;
  var input = form.querySelector("input[name=q]");
  var box = document.getElementById("search-filters");
  var badge = document.getElementById("search-chosen");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var groups = Array.prototype.slice.call(box.querySelectorAll("fieldset[data-group]"));
  var LIMIT = 20;
  var WIDE = "(min-width: 48em)"; // filters start open only where they fit beside the reading
  var params = new URLSearchParams(location.search);
  var pagefind = null, totals = {}, ticket = 0, timer = 0;
  var clear = el("p", "", "search-clear"), clearButton = el("button", text("clear"));
  clearButton.type = "button";
  clear.appendChild(clearButton);
  clear.hidden = true;
  status.parentNode.insertBefore(clear, status.nextSibling);

  document.getElementById("search-nojs").hidden = true;
  input.value = params.get("q") || "";
  status.textContent = text("loading");
  busy(true);

  function text(name, values) {
    return (form.getAttribute("data-text-" + name) || "").replace(/\{([nq])\}/g, function (all, key) {
      return values && key in values ? values[key] : all;
    });
  }

  function el(tag, content, cls) {
    var node = document.createElement(tag);
    if (content) node.textContent = content;
    if (cls) node.className = cls;
    return node;
  }

  function groupName(set) { return set.getAttribute("data-group"); }

  function buildFilters(filters) {
    groups.forEach(function (set) {
      var values = filters[groupName(set)] || {};
      Object.keys(values).sort().forEach(function (value) {
        var label = el("label"), check = el("input");
        check.type = "checkbox";
        check.name = groupName(set);
        check.value = value;
        check.checked = params.getAll(check.name).indexOf(value) >= 0;
        label.appendChild(check);
        label.appendChild(document.createTextNode(" " + value + " "));
        label.appendChild(el("span", "", "count"));
        set.appendChild(label);
      });
    });
    box.open = window.matchMedia(WIDE).matches;
  }

  /* The chosen values of each group: {kind: ["Source"], topic: []}. */
  function chosen() {
    var picked = {};
    groups.forEach(function (set) {
      picked[groupName(set)] = Array.prototype.map.call(
        set.querySelectorAll("input:checked"), function (c) { return c.value; });
    });
    return picked;
  }

  function countChosen(picked) {
    return Object.keys(picked).reduce(function (sum, name) { return sum + picked[name].length; }, 0);
  }

  /* Pagefind's filter object for the choices, leaving out one group (or none). */
  function pagefindFilters(picked, without) {
    var filters = {};
    Object.keys(picked).forEach(function (name) {
      if (name !== without && picked[name].length) filters[name] = { any: picked[name] };
    });
    return filters;
  }

  function showCounts(counts, picked) {
    var any = false;
    groups.forEach(function (set) {
      var values = counts[groupName(set)] || {}, shown = false;
      set.querySelectorAll("label").forEach(function (label) {
        var check = label.querySelector("input"), n = values[check.value] || 0;
        label.querySelector(".count").textContent = text("count", { n: n });
        label.hidden = n === 0 && !check.checked;
        shown = shown || !label.hidden;
      });
      set.hidden = !shown;
      any = any || shown;
    });
    box.hidden = !any;
    var n = countChosen(picked);
    badge.textContent = n ? text("chosen", { n: n }) : "";
  }

  /* Where a result lands: its sub-result (a heading's part of the page) with the strongest
     matches, then the outermost element with an id that starts at or before the strongest
     match in that part, such as a glossary term's section or a source's paragraph. */
  function target(page) {
    var top = null, topScore = -1;
    (page.sub_results || []).forEach(function (sub) {
      var score = 0;
      (sub.weighted_locations || []).forEach(function (w) { score += w.balanced_score; });
      if (score > topScore) { top = sub; topScore = score; }
    });
    if (!top) return { url: page.url, heading: "", excerpt: page.excerpt || "" };
    var strongest = (top.weighted_locations || []).reduce(function (a, b) {
      return b.balanced_score > a.balanced_score ? b : a;
    }, { balanced_score: -1, location: top.anchor ? top.anchor.location : 0 }).location;
    var from = top.anchor ? top.anchor.location : -1, at = -1, id = "";
    (page.anchors || []).slice().sort(function (a, b) { return a.location - b.location; })
      .forEach(function (a) {
        if (!/^(h\d|section|p)$/i.test(a.element) || a.location < from) return;
        if (a.location <= strongest && a.location > at) { at = a.location; id = a.id; }
      });
    var url = top.url;
    if (id) url = url.split("#")[0] + "#" + id;
    return { url: url, heading: top.anchor ? top.title : "", excerpt: top.excerpt || "" };
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

  function render(pages, total, query, filtered) {
    list.textContent = "";
    pages.forEach(function (page) {
      var hit = target(page), title = page.meta.title || page.url;
      var item = el("li"), link = el("a", title);
      link.href = hit.url;
      if (hit.heading && hit.heading !== title) {
        link.appendChild(el("span", " › " + hit.heading, "search-heading"));
      }
      var kind = page.filters && page.filters.kind;
      if (kind && kind.length) item.appendChild(el("span", kind.join(", "), "search-kind"));
      item.appendChild(el("h2", "", "search-title")).appendChild(link);
      item.appendChild(excerpt(hit.excerpt));
      list.appendChild(item);
    });
    var what = query ? text("for", { q: query }) : "";
    status.textContent = total === 0
      ? text("none") + what + (filtered ? text("with-filters") : "") + "."
      : text(total === 1 ? "found-one" : "found-other", { n: total }) + what
        + (total > LIMIT ? text("first", { n: LIMIT }) : "") + ".";
    clear.hidden = !(total === 0 && filtered);
  }

  /* aria-busy from the first keystroke until the newest search is shown (tests wait on it). */
  function busy(on) {
    if (on) form.setAttribute("aria-busy", "true");
    else form.removeAttribute("aria-busy");
  }

  function run() {
    if (!pagefind) return;
    busy(true);
    var query = input.value.trim(), picked = chosen(), mine = ++ticket;
    var filtered = countChosen(picked) > 0;
    var state = new URLSearchParams(new FormData(form)).toString();
    history.replaceState(null, "", state && (query || filtered) ? "?" + state : location.pathname);
    if (!query && !filtered) {
      list.textContent = "";
      status.textContent = "";
      clear.hidden = true;
      showCounts(totals, picked);
      busy(false);
      return;
    }
    var names = Object.keys(picked).filter(function (name) { return picked[name].length; });
    var searches = [null].concat(names).map(function (without) {
      return pagefind.search(query || null, { filters: pagefindFilters(picked, without) });
    });
    Promise.all(searches).then(function (found) {
      var main = found[0], counts = {};
      Object.keys(picked).forEach(function (name) {
        var i = names.indexOf(name);
        counts[name] = (i < 0 ? main : found[i + 1]).filters[name] || {};
      });
      var top = main.results.slice(0, LIMIT);
      return Promise.all(top.map(function (r) { return r.data(); })).then(function (pages) {
        if (mine !== ticket) return;
        showCounts(counts, picked);
        render(pages, main.results.length, query, filtered);
        busy(false);
      });
    }).catch(failed);
  }

  function failed() {
    status.textContent = text("failed");
    document.getElementById("search-nojs").hidden = false;
    busy(false);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    run();
  });
  input.addEventListener("input", function () {
    busy(true);
    clearTimeout(timer);
    timer = setTimeout(run, 250);
  });
  box.addEventListener("change", run);
  clearButton.addEventListener("click", function () {
    box.querySelectorAll("input:checked").forEach(function (c) { c.checked = false; });
    run();
    input.focus();
  });

  var bundle = new URL(form.getAttribute("data-bundle"), location.href);
  import(bundle.href + "pagefind.js").then(function (module) {
    pagefind = module;
    return pagefind.options({ baseUrl: new URL(form.getAttribute("data-site"), location.href).pathname });
  }).then(function () {
    return pagefind.filters();
  }).then(function (filters) {
    totals = filters;
    buildFilters(filters);
    status.textContent = "";
    run();
  }).catch(failed);
})();
