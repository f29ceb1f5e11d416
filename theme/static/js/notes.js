/* Note cards, margin notes, phone-friendly tables and arriving at a passage: comfort on top of
   plain HTML. Without this file every marker is still a link to its note, each note links back,
   and a passage link still lands on its marked words. Every word shown comes from the page
   (notes, glossary, "Cited in"), so translated pages need nothing here. */
(function () {
  "use strict";
  var main = document.getElementById("main");
  if (!main || !window.CSS || !CSS.escape) return;
  var MARKERS = "a.cite-ref[href^='#'], sup.footnote-ref > a[href^='#']";
  var TARGETS = MARKERS + ", a.term[href*='#term-']";
  var toArray = function (list) { return Array.prototype.slice.call(list); };
  var each = function (list, fn) { toArray(list).forEach(fn); };
  var make = function (tag, className) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    return el;
  };

  /* Tables: label each cell with its column heading, so narrow screens can stack the cells.
     Explicit roles keep the table's meaning for screen readers when CSS changes its display.
     An empty corner heading means the first column names the rows: make those row headers
     (the corner itself is then an empty cell, not a heading). */
  var roles = { THEAD: "rowgroup", TBODY: "rowgroup", TR: "row", TH: "columnheader", TD: "cell" };
  each(main.querySelectorAll("table"), function (table) {
    var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    if (!heads.length) return;
    table.setAttribute("role", "table");
    each(table.querySelectorAll("thead, tbody, tr, th, td"), function (el) {
      el.setAttribute("role", roles[el.tagName]);
    });
    if (!heads[0]) table.querySelector("thead th").setAttribute("role", "cell");
    each(table.querySelectorAll("tbody tr"), function (row) {
      each(row.children, function (cell, i) {
        if (heads[i]) cell.setAttribute("data-label", heads[i]);
        else if (i === 0) cell.setAttribute("role", "rowheader");
      });
    });
    table.classList.add("stackable");
  });

  /* Pages fetched for cards (source pages for a quote's sentence, the glossary for a term's
     definition), once each. */
  var fetched = {};
  function page(url) {
    url = url.split("#")[0];
    if (url === location.href.split("#")[0]) return Promise.resolve(document);
    fetched[url] = fetched[url] || fetch(url).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.text();
    }).then(function (html) {
      return new DOMParser().parseFromString(html, "text/html");
    });
    return fetched[url];
  }

  function noteOf(marker) {
    return document.getElementById(decodeURIComponent(marker.hash.slice(1)));
  }

  /* A note's own content without back-links or ids; `links` false unwraps every link. */
  function copyOf(note, links) {
    var copy = note.cloneNode(true);
    var drop = ".backrefs, .footnote-backref" + (links ? "" : ", .note-links, .translated");
    each(copy.querySelectorAll(drop), function (el) { el.remove(); });
    each(copy.querySelectorAll("a, [id]"), function (el) {
      if (el.tagName === "A" && !links) el.replaceWith.apply(el, toArray(el.childNodes));
      else el.removeAttribute("id");
    });
    return copy;
  }

  function number(marker) {
    return Object.assign(make("b"), { textContent: marker.textContent.replace(/\W/g, "") + " " });
  }

  /* The sentence around a passage on its source page: (before, after), each cut at a sentence
     end and at ~120 characters on a word. The source page shows what its rights allow, so an
     excerpts-only source gives no more than its excerpts. */
  function around(doc, anchor) {
    var pieces = doc.querySelectorAll("mark.passage[data-passage='" + CSS.escape(anchor) + "']");
    var paragraph = pieces.length && pieces[0].closest("p");
    if (!paragraph) return null;
    var range = doc.createRange(), pnum = paragraph.querySelector(".pnum");
    if (pnum) range.setStartAfter(pnum);
    else range.setStart(paragraph, 0);
    range.setEndBefore(pieces[0]);
    var before = range.toString(), sentence = /[.!?…]["”’)\]]*\s+/g, found, cut = 0;
    range.setStartAfter(pieces[pieces.length - 1]);
    range.setEnd(paragraph, paragraph.childNodes.length);
    var after = range.toString();
    while ((found = sentence.exec(before))) cut = found.index + found[0].length;
    before = before.slice(cut).replace(/^\s+/, "");
    found = /[.!?…]["”’)\]]*(\s|$)/.exec(after);
    after = (found ? after.slice(0, found.index + found[0].length) : after).replace(/\s+$/, "");
    if (before.length > 120) before = "…" + before.slice(-120).replace(/^\S*\s/, "");
    if (after.length > 120) after = after.slice(0, 120).replace(/\s\S*$/, "") + "…";
    return [before, after];
  }

  /* One card at a time, placed right after what opened it (even inside a group of markers),
     so Tab goes from a marker into its card's links. Its id is in the cite-* family, which
     heading ids never take. */
  var card = make("span", "note-popover no-print");
  card.id = "cite-preview";
  var current = null, timer = 0, hushed = null, viaTab = false;

  function fill(el) {
    card.textContent = "";
    if (el.matches(MARKERS)) {
      var note = noteOf(el);
      if (!note) return false;
      var copy = copyOf(note, true), source = copy.querySelector(".note-source");
      var record = source && document.getElementById(decodeURIComponent(source.hash.slice(1)));
      card.appendChild(number(el));
      while (copy.firstChild) card.appendChild(copy.firstChild);
      if (record) {  // who the short label stands for: the source's record, without its links
        record = copyOf(record, false);
        var label = record.querySelector("b, strong");  // the label the note already shows
        if (label) label.remove();
        var start = record.firstChild;
        if (start) start.textContent = start.textContent.replace(/^[:\s]+/, "");
        var line = make("span", "record");
        while (record.firstChild) line.appendChild(record.firstChild);
        (card.querySelector("q") || card.querySelector(".note-links")).before(line, " ");
      }
      var quote = card.querySelector("q.quoted"), passage = card.querySelector("a.passage");
      if (quote && passage && passage.hash && !card.querySelector(".translated")) {
        page(passage.href).then(function (doc) {
          var context = around(doc, decodeURIComponent(passage.hash.slice(1)));
          if (current !== el || !context || !quote.parentNode) return;
          var sentence = make("span", "context");
          quote.replaceWith(sentence);
          sentence.append(context[0], quote, context[1]);
          place(el);
        }).catch(function () {});
      }
      card.setAttribute("role", "dialog");
      card.setAttribute("aria-label", el.getAttribute("aria-label") || el.textContent);
    } else {
      var title = card.appendChild(Object.assign(make("b"), { textContent: el.textContent }));
      card.setAttribute("role", "tooltip");
      card.removeAttribute("aria-label");
      page(el.href).then(function (doc) {
        var entry = doc.getElementById(decodeURIComponent(el.hash.slice(1)));
        var heading = entry && entry.querySelector("h2, h3");
        var words = entry && entry.querySelector("p:not(.aka)");
        if (current !== el || !heading || !words) return;
        words = copyOf(words, false);
        each(words.querySelectorAll("sup"), function (sup) { sup.remove(); });
        title.textContent = heading.textContent;
        var definition = make("span", "definition");
        definition.textContent = words.textContent;
        card.append(" ", definition);
        place(el);
      }).catch(function () {});
    }
    return true;
  }

  function show(el) {
    clearTimeout(timer);
    if (current === el) return;
    hide();
    current = el;
    if (!fill(el)) { current = null; return; }
    var after = el, table = el.closest("table");
    if (table && getComputedStyle(table).overflowX !== "visible") after = table;  // not clipped
    after.after(card);
    el.setAttribute("aria-describedby", card.id);
    place(el);
  }

  function hide() {
    clearTimeout(timer);
    if (current) current.removeAttribute("aria-describedby");
    current = null;
    card.remove();
  }

  function later(fn, ms) {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  }

  /* Below the marker, or above it when there is no room below, inside the window. The card's
     position at (0, 0) tells where its containing block is. */
  function place(el) {
    var r = el.getBoundingClientRect(), width = document.documentElement.clientWidth;
    card.style.left = card.style.top = "0px";
    var origin = card.getBoundingClientRect(), w = card.offsetWidth, h = card.offsetHeight;
    var left = Math.max(8, Math.min(r.left + r.width / 2 - w / 2, width - w - 8));
    var top = r.bottom + 8;
    if (top + h > window.innerHeight && r.top - h - 8 > 0) top = r.top - h - 8;
    card.style.left = left - origin.left + "px";
    card.style.top = top - origin.top + "px";
  }

  function targetOf(event) {
    var el = event.target.closest && event.target.closest(TARGETS);
    return el && main.contains(el) && !card.contains(el) ? el : null;
  }

  // Hover: open after a short pause, stay open while the pointer is on the marker or the card.
  main.addEventListener("mouseover", function (event) {
    var el = targetOf(event);
    if (el !== hushed) hushed = null;
    if (el && el !== hushed) later(function () { show(el); }, 150);
    else if (card.contains(event.target)) clearTimeout(timer);
  });
  main.addEventListener("mouseout", function (event) {
    if (current && (targetOf(event) || card.contains(event.target))) later(hide, 300);
  });

  /* Keyboard: a marker reached with Tab opens its card; one focused because a back-link led to
     it (it is the page's target) does not, nor one Escape just closed. */
  main.addEventListener("focusin", function (event) {
    var el = targetOf(event);
    if (el && (viaTab || (el !== hushed && !el.matches(":target")))) show(el);
  });
  main.addEventListener("focusout", function () {
    if (current) later(function () {
      var now = document.activeElement;
      if (now !== current && !card.contains(now)) hide();
    }, 100);
  });
  document.addEventListener("keydown", function (event) {
    viaTab = event.key === "Tab";
    if (event.key !== "Escape" || !current) return;
    hushed = current;
    if (card.contains(document.activeElement)) current.focus();
    hide();
  });

  // Touch: the first tap on a marker opens its card, a second tap follows the link.
  var tapped = null, wasOpen = false;
  document.addEventListener("pointerdown", function (event) {
    var el = targetOf(event);
    viaTab = false;
    tapped = event.pointerType !== "mouse" ? el : null;
    wasOpen = Boolean(el && current === el);
    if (!el && !card.contains(event.target)) hide();
  });
  main.addEventListener("click", function (event) {
    var el = targetOf(event), link = event.target.closest && event.target.closest("a");
    if (link && card.contains(link)) setTimeout(hide);  // after the link is followed
    // a back-link: the marker it leads to will be focused, and should not open its card
    if (link && !el && link.hash) {
      hushed = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    }
    if (!el) return;
    if (el === tapped && !wasOpen) {
      event.preventDefault();
      show(el);
    } else {
      hide();
    }
    tapped = null;
  });
  window.addEventListener("resize", function () {
    if (current) place(current);
  });

  /* Wide screens: each note also sits in the margin at its first marker's height, in number
     order, pushed down only by the note above; when the margin is crowded a note shrinks to
     its label and ¶ ("FFI ¶7"), so none runs past the end of the text. The list below keeps
     everything, so screen readers skip these. */
  var wide = window.matchMedia("(min-width: 76em)");
  var prose = main.querySelector(".explainer .prose");
  var column = null, GAP = 6, frame = 0;

  function sidenotes() {
    if (column) column.remove();
    column = null;
    if (!wide.matches || !prose) return;
    column = make("div", "margin-notes no-print");
    var seen = {}, notes = [];
    each(prose.querySelectorAll(MARKERS), function (marker) {
      var note = noteOf(marker);
      if (seen[marker.hash] || !note || marker.closest(".citation-notes, .footnotes")) return;
      seen[marker.hash] = true;
      var side = make("p", "sidenote"), copy = copyOf(note, false);
      side.setAttribute("aria-hidden", "true");
      side.appendChild(number(marker));
      while (copy.firstChild) side.appendChild(copy.firstChild);
      side.marker = marker;
      side.number = parseInt(marker.textContent.replace(/\D/g, ""), 10) || 0;
      notes.push(side);
    });
    notes.sort(function (a, b) { return a.number - b.number; });
    notes.forEach(function (side) { column.appendChild(side); });
    prose.appendChild(column);
    layout();
  }

  function layout() {
    if (!column) return;
    var notes = toArray(column.children), box = prose.getBoundingClientRect();
    var list = prose.querySelector(".citation-notes, .footnotes"), origin = box.top;
    var end = (list ? list.getBoundingClientRect().top : box.bottom) - origin;
    var want = [], full = [], short = [], latest = [], room = end, bottom = -Infinity;
    notes.forEach(function (side) { side.classList.remove("short"); });
    notes.forEach(function (side) {
      want.push(side.marker.getBoundingClientRect().top - origin);
      full.push(side.offsetHeight);
    });
    notes.forEach(function (side) { side.classList.add("short"); });
    notes.forEach(function (side) { short.push(side.offsetHeight); });
    // the lowest a note may end so that the ones after it still fit, shortened, above `end`
    for (var k = notes.length - 1; k >= 0; k--) {
      latest[k] = room;
      room -= short[k] + GAP;
    }
    // how far the notes after k would be pushed below their markers if k ended at `at`
    function pushed(k, at) {
      var most = 0;
      for (var j = k + 1; j < notes.length && want[j] < at + GAP; j++) {
        most = Math.max(most, at + GAP - want[j]);
        at += GAP + short[j];
      }
      return most;
    }
    notes.forEach(function (side, k) {
      var top = Math.max(want[k], bottom + GAP);
      var fits = top + full[k] <= latest[k] &&
        pushed(k, top + full[k]) <= Math.max(full[k], pushed(k, top + short[k]));
      side.classList.toggle("short", !fits);
      side.style.top = top + "px";
      bottom = top + (fits ? full[k] : short[k]);
    });
  }

  function relayout() {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(layout);
  }

  sidenotes();
  if (wide.addEventListener) wide.addEventListener("change", sidenotes);
  if (prose && window.ResizeObserver) new ResizeObserver(relayout).observe(prose);
  window.addEventListener("resize", relayout);
  window.addEventListener("load", relayout);
  if (document.fonts) document.fonts.ready.then(relayout);

  /* Source pages: arriving at a passage (its id, or the passage a piece belongs to) marks every
     piece of it and dims the others (site.css), and a bar at the top of the text leads back to
     the note that cited it: the note of the page we came from, else every citing note. */
  var text = main.querySelector(".source-text");

  function arrive() {
    each(main.querySelectorAll("mark.arrived"), function (m) { m.classList.remove("arrived"); });
    var bar = document.getElementById("arrival");
    if (bar) bar.remove();
    var id = decodeURIComponent(location.hash.slice(1)), target = id && document.getElementById(id);
    if (!text || !id) return;
    if (target && target.matches("mark.passage")) id = target.getAttribute("data-passage");
    var pieces = text.querySelectorAll("mark.passage[data-passage='" + CSS.escape(id) + "']");
    if (!pieces.length) return;
    each(pieces, function (mark) { mark.classList.add("arrived"); });
    var selector = "[data-anchor='" + CSS.escape(id) + "']";
    var citing = toArray(main.querySelectorAll(".cited-in li" + selector));
    var from = citing.filter(function (li) {
      return li.querySelector("a.note-link").href.split("#")[0] === document.referrer.split("#")[0];
    });
    var heading = document.getElementById("cited-in");
    if (citing.length && heading) {
      bar = make("nav", "arrival-bar no-print");
      bar.id = "arrival";
      bar.setAttribute("aria-labelledby", "cited-in");
      bar.append(heading.textContent + ": ");
      (from.length ? from : citing).forEach(function (li, i) {
        var link = li.querySelector("a.note-link").cloneNode(true);
        var explainer = li.parentNode.closest("li").querySelector("a");
        var arrow = link.insertBefore(make("span"), link.firstChild);
        arrow.textContent = "← ";
        arrow.setAttribute("aria-hidden", "true");
        link.append(" · " + explainer.textContent);
        bar.append(i ? "; " : "", link);
      });
      text.insertBefore(bar, text.firstChild);
    }
    pieces[0].scrollIntoView();
  }

  arrive();
  window.addEventListener("hashchange", arrive);
  hushed = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
})();
