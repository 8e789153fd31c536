// givefirst: the few behaviours HTMX does not cover. No inline scripts anywhere (the CSP forbids them).
"use strict";
(function () {
  function onClick(event) {
    var copy = event.target.closest("[data-copy]");
    if (copy) {
      var source = document.getElementById(copy.getAttribute("data-copy"));
      if (!source) return;
      var text = source.value || source.textContent;
      var done = function () { copy.textContent = "Copied"; setTimeout(function () { copy.textContent = "Copy"; }, 1500); };
      // The selection copies at once inside the click; the Clipboard API is the fallback (it may ask permission).
      source.focus();
      source.select();
      var copied = false;
      try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
      if (copied) { done(); } else if (navigator.clipboard) { navigator.clipboard.writeText(text).then(done); }
      return;
    }
    var back = event.target.closest("[data-back]");
    if (back && window.history.length > 1) { event.preventDefault(); window.history.back(); }
  }

  function onChange(event) {
    if (event.target.matches("[data-check-all]")) {
      var form = event.target.closest("form");
      form.querySelectorAll("input[name=ids]").forEach(function (box) { box.checked = event.target.checked; });
    }
  }

  // The introductions board: drag a card onto the next column to record that step (the card's own button).
  var dragged = null;
  function onDragStart(event) {
    var card = event.target.closest && event.target.closest(".intro[draggable=true]");
    if (!card) return;
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.getAttribute("data-intro"));
    card.classList.add("dragging");
  }
  function onDragOver(event) {
    var column = event.target.closest && event.target.closest(".column");
    if (!dragged || !column) return;
    if (column.getAttribute("data-state") === dragged.getAttribute("data-next-state")) {
      event.preventDefault();
      column.classList.add("drop-ok");
    }
  }
  function onDragLeave(event) {
    var column = event.target.closest && event.target.closest(".column");
    if (column) column.classList.remove("drop-ok");
  }
  function onDrop(event) {
    var column = event.target.closest && event.target.closest(".column");
    if (!dragged || !column) return;
    event.preventDefault();
    column.classList.remove("drop-ok");
    var button = dragged.querySelector("[data-advance]");
    dragged.classList.remove("dragging");
    dragged = null;
    if (button) button.click();
  }
  function onDragEnd() {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
    document.querySelectorAll(".drop-ok").forEach(function (c) { c.classList.remove("drop-ok"); });
  }

  // A refusal (an expired session, a form sent twice, a bad value) answers an HTMX request with a fragment that
  // says so: show it where the answer would have gone, instead of nothing.
  function onBeforeSwap(event) {
    var xhr = event.detail.xhr;
    var type = xhr.getResponseHeader("content-type") || "";
    if (xhr.status >= 400 && type.indexOf("text/html") === 0) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  }

  document.addEventListener("htmx:beforeSwap", onBeforeSwap);
  document.addEventListener("click", onClick);
  document.addEventListener("change", onChange);
  document.addEventListener("dragstart", onDragStart);
  document.addEventListener("dragover", onDragOver);
  document.addEventListener("dragleave", onDragLeave);
  document.addEventListener("drop", onDrop);
  document.addEventListener("dragend", onDragEnd);
})();
