// The search on every page (issue 12): `/` (outside a text field) or Ctrl/Cmd-K opens it; typing asks
// /search.json for people and pages; the arrows choose, Enter opens, Esc closes (the native <dialog> does that and
// gives focus back). An ARIA combobox: the input keeps the focus and names the chosen option with
// aria-activedescendant. Results are built as text nodes, never as HTML (a name may hold anything).
"use strict";
(function () {
  var dialog = document.getElementById("search-dialog");
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var opener = document.getElementById("search-open");
  if (!dialog || !input || !list || typeof dialog.showModal !== "function") return;
  var options = [];   // [{el, url}]
  var active = -1;
  var asked = 0;      // the latest request: an older answer arriving late is dropped
  var timer = null;
  var stale = false;  // the text changed since the options shown were asked for
  var goFirst = false; // Enter was pressed before they came: open the first match when they do

  function editable(el) {
    if (!el || !el.tagName) return false;
    var tag = el.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || el.isContentEditable;
  }

  function open() {
    if (dialog.open) { input.focus(); return; }
    dialog.showModal();
    input.value = "";
    query("");
    input.focus();
  }

  function choose(index) {
    if (!options.length) { active = -1; input.removeAttribute("aria-activedescendant"); return; }
    active = (index + options.length) % options.length;
    options.forEach(function (o, i) { o.el.setAttribute("aria-selected", i === active ? "true" : "false"); });
    input.setAttribute("aria-activedescendant", options[active].el.id);
    options[active].el.scrollIntoView({ block: "nearest" });
  }

  function go(index) {
    if (index >= 0 && index < options.length) window.location.href = options[index].url;
  }

  function group(label) {
    var li = document.createElement("li");
    li.setAttribute("role", "presentation");
    li.className = "group";
    li.textContent = label;
    list.appendChild(li);
  }

  function option(main, detail, url) {
    var li = document.createElement("li");
    li.id = "search-opt-" + options.length;
    li.setAttribute("role", "option");
    li.setAttribute("aria-selected", "false");
    var strong = document.createElement("span");
    strong.textContent = main;
    li.appendChild(strong);
    if (detail) {
      var small = document.createElement("small");
      small.textContent = " " + detail;
      li.appendChild(small);
    }
    var index = options.length;
    li.addEventListener("mousedown", function (event) { event.preventDefault(); });  // keep focus in the input
    li.addEventListener("click", function () { go(index); });
    options.push({ el: li, url: url });
    list.appendChild(li);
  }

  function show(data) {
    list.textContent = "";
    options = [];
    active = -1;
    if (data.people.length) {
      group("People");
      data.people.forEach(function (p) {
        option(p.is_me ? p.name + " (you)" : p.name, [p.organization, p.tier].filter(Boolean).join(" · "), p.url);
      });
    }
    if (data.commands.length) {
      group("Pages");
      data.commands.forEach(function (c) { option(c.label, "", c.url); });
    }
    input.setAttribute("aria-expanded", options.length ? "true" : "false");
    status.textContent = options.length
      ? data.people.length + " people, " + data.commands.length + " pages"
      : "Nothing matches " + JSON.stringify(data.q) + ". Enter searches People.";
    choose(0);
    if (goFirst) {
      goFirst = false;
      if (options.length) go(0); else input.form.submit();
    }
  }

  function query(text) {
    var mine = ++asked;
    stale = false;
    fetch("/search.json?q=" + encodeURIComponent(text), {
      credentials: "same-origin", headers: { Accept: "application/json" }
    })
      .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
      .then(function (data) { if (mine === asked) show(data); })
      .catch(function (err) {
        if (mine !== asked) return;
        list.textContent = "";
        options = [];
        input.setAttribute("aria-expanded", "false");
        input.removeAttribute("aria-activedescendant");
        status.textContent = "Search is not available (" + err.message + "): reload the page.";
      });
  }

  input.addEventListener("input", function () {
    stale = true;
    clearTimeout(timer);
    timer = setTimeout(function () { query(input.value); }, 120);
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") { event.preventDefault(); choose(active + 1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); choose(active - 1); }
    else if (event.key === "Home" && options.length && event.ctrlKey) { event.preventDefault(); choose(0); }
    else if (event.key === "End" && options.length && event.ctrlKey) { event.preventDefault(); choose(options.length - 1); }
    else if (event.key === "Enter" && stale) {  // typed fast: do not open what matched the text before
      event.preventDefault();
      clearTimeout(timer);
      goFirst = true;
      query(input.value);
    }
    else if (event.key === "Enter" && active >= 0) { event.preventDefault(); go(active); }
    // Enter with nothing chosen submits the form: the People page's search for the text.
  });

  dialog.addEventListener("click", function (event) {
    if (event.target === dialog) dialog.close();  // a click on the backdrop
  });

  dialog.addEventListener("close", function () {
    // The close event comes as a task of its own: opened again before it arrives (Esc, then Ctrl-K at once), the
    // dialog keeps what the new opening asked for.
    if (dialog.open) return;
    clearTimeout(timer);
    asked++;
    stale = goFirst = false;
    list.textContent = "";
    options = [];
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  });

  if (opener) opener.addEventListener("click", function (event) { event.preventDefault(); open(); });

  document.addEventListener("keydown", function (event) {
    var k = event.key;
    if ((k === "k" || k === "K") && (event.ctrlKey || event.metaKey) && !event.altKey) {
      event.preventDefault();
      open();
    } else if (k === "/" && !event.ctrlKey && !event.metaKey && !event.altKey && !editable(event.target) && !dialog.open) {
      event.preventDefault();
      open();
    }
  });
})();
