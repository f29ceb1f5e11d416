/* Footnote previews, margin notes and phone-friendly tables: comfort on top of plain HTML.
   Without this file every marker is still a link to its note, and each note links back. */
(function () {
  "use strict";
  var MARKERS = "a.cite-ref[href^='#'], sup.footnote-ref > a[href^='#']";
  var main = document.getElementById("main");
  if (!main || !document.querySelector) return;

  /* Tables: label each cell with its column heading, so narrow screens can stack the cells.
     Explicit roles keep the table's meaning for screen readers when CSS changes its display.
     An empty corner heading means the first column names the rows: make those row headers. */
  var roles = { THEAD: "rowgroup", TBODY: "rowgroup", TR: "row", TH: "columnheader", TD: "cell" };
  main.querySelectorAll("table").forEach(function (table) {
    var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    if (!heads.length) return;
    table.setAttribute("role", "table");
    table.querySelectorAll("thead, tbody, tr, th, td").forEach(function (el) {
      el.setAttribute("role", roles[el.tagName]);
    });
    var corner = table.querySelector("thead th");
    if (!heads[0]) {
      corner.appendChild(Object.assign(document.createElement("span"), {
        className: "visually-hidden", textContent: "What is compared"
      }));
    }
    table.querySelectorAll("tbody tr").forEach(function (row) {
      Array.prototype.forEach.call(row.children, function (cell, i) {
        if (heads[i]) cell.setAttribute("data-label", heads[i]);
        else if (i === 0) cell.setAttribute("role", "rowheader");
      });
    });
    table.classList.add("stackable");
  });

  var markers = main.querySelectorAll(MARKERS);
  if (!markers.length) return;

  function noteOf(marker) {
    return document.getElementById(decodeURIComponent(marker.hash.slice(1)));
  }

  /* The note's words without its links, ids or back-links: a preview to read, not to use. */
  function noteText(marker, into) {
    var note = noteOf(marker);
    if (!note) return false;
    var copy = note.cloneNode(true);
    copy.querySelectorAll(".backrefs, .note-links, .url, .footnote-backref").forEach(function (el) {
      el.remove();
    });
    copy.querySelectorAll("a, [id]").forEach(function (el) {
      if (el.tagName === "A") el.replaceWith.apply(el, Array.prototype.slice.call(el.childNodes));
      else el.removeAttribute("id");
    });
    var label = document.createElement("b");
    label.textContent = marker.textContent.replace(/\W/g, "") + " ";
    into.textContent = "";
    into.appendChild(label);
    while (copy.firstChild) into.appendChild(copy.firstChild);
    return true;
  }

  /* One preview box, a tooltip described by whichever marker opened it. Its id is in the
     cite-* family, which heading ids never take. */
  var pop = document.createElement("div");
  pop.id = "cite-preview";
  pop.className = "note-popover no-print";
  pop.setAttribute("role", "tooltip");
  pop.hidden = true;
  main.appendChild(pop);
  var current = null, timer = 0;

  function show(marker) {
    clearTimeout(timer);
    if (current === marker && !pop.hidden) return;
    hide();
    if (!noteText(marker, pop)) return;
    current = marker;
    marker.setAttribute("aria-describedby", pop.id);
    pop.hidden = false;
    place(marker);
  }

  function hide() {
    clearTimeout(timer);
    if (current) {
      current.removeAttribute("aria-describedby");
    }
    current = null;
    pop.hidden = true;
  }

  function later(fn, ms) {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  }

  function place(marker) {
    var r = marker.getBoundingClientRect();
    var width = Math.min(pop.offsetWidth, document.documentElement.clientWidth - 16);
    var left = Math.max(8, Math.min(r.left + r.width / 2 - width / 2,
      document.documentElement.clientWidth - width - 8));
    var top = r.bottom + 8;
    if (top + pop.offsetHeight > window.innerHeight && r.top - pop.offsetHeight - 8 > 0) {
      top = r.top - pop.offsetHeight - 8;
    }
    pop.style.left = left + window.scrollX + "px";
    pop.style.top = top + window.scrollY + "px";
  }

  function markerOf(event) {
    var el = event.target.closest && event.target.closest(MARKERS);
    return el && main.contains(el) ? el : null;
  }

  // Hover: open after a short pause, stay open while the pointer is on the marker or the preview.
  main.addEventListener("mouseover", function (event) {
    var marker = markerOf(event);
    if (marker) later(function () { show(marker); }, 150);
    else if (pop.contains(event.target)) clearTimeout(timer);
  });
  main.addEventListener("mouseout", function (event) {
    if (markerOf(event) || pop.contains(event.target)) later(hide, 300);
  });

  // Keyboard: open on focus, close on blur or Escape.
  main.addEventListener("focusin", function (event) {
    var marker = markerOf(event);
    if (marker) show(marker);
  });
  main.addEventListener("focusout", function (event) {
    if (markerOf(event)) later(hide, 100);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !pop.hidden) hide();
  });

  // Touch: the first tap on a marker opens its preview, a second tap follows the link.
  var tapped = null, wasOpen = false;
  document.addEventListener("pointerdown", function (event) {
    var marker = markerOf(event);
    tapped = event.pointerType !== "mouse" ? marker : null;
    wasOpen = Boolean(marker && current === marker && !pop.hidden);
    if (!marker && !pop.contains(event.target)) hide();
  });
  main.addEventListener("click", function (event) {
    var marker = markerOf(event);
    if (!marker) return;
    if (marker === tapped && !wasOpen) {
      event.preventDefault();
      show(marker);
    } else {
      hide();
    }
    tapped = null;
  });
  window.addEventListener("resize", function () {
    if (current) place(current);
  });

  /* Wide screens: the first mention of each note also sits in the margin, beside its paragraph.
     Margin notes repeat the list at the end, so screen readers skip them. */
  var wide = window.matchMedia("(min-width: 76em)");
  var prose = main.querySelector(".explainer .prose");

  function sidenotes() {
    main.querySelectorAll(".sidenote").forEach(function (el) { el.remove(); });
    if (!wide.matches || !prose) return;
    var seen = {};
    prose.querySelectorAll(MARKERS).forEach(function (marker) {
      var holder = marker.closest("p, li, blockquote");
      if (seen[marker.hash] || !holder || marker.closest("table, .citation-notes, .footnotes")) return;
      seen[marker.hash] = true;
      var side = document.createElement("span");
      side.className = "sidenote no-print";
      side.setAttribute("aria-hidden", "true");
      if (!noteText(marker, side)) return;
      // Short form for the margin: number, outlet, quoted words; the full note is a tap away.
      var outlet = side.querySelector("cite"), words = side.querySelector("q");
      if (outlet && words) {
        var number = side.firstChild;
        side.textContent = "";
        side.append(number, outlet, ": ", words);
      }
      marker.closest("sup").after(side);
    });
  }
  sidenotes();
  if (wide.addEventListener) wide.addEventListener("change", sidenotes);
})();
