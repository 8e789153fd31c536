// givefirst on a phone: installs the service worker, sends quick captures (keeping them on the phone while the
// server cannot be reached) and shows what waits in the outbox. No inline script: the CSP forbids it.
"use strict";
(function () {
  var Outbox = window.GivefirstOutbox;
  var lastSent = [];
  var signedOut = false; // the server restarted with a token: the phone must scan the sign-in code again

  if ("serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register("/sw.js").catch(function () { /* the pages work without it */ });
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "outbox") { lastSent = event.data.sent || []; render(); }
    });
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }

  function render() {
    var box = document.getElementById("outbox");
    if (!box || !Outbox) return Promise.resolve();
    return Outbox.all().then(function (items) {
      box.textContent = "";
      var waiting = items.filter(Outbox.waiting);
      if (lastSent.length) box.appendChild(el("p", { "class": "sent" }, "Sent: " + lastSent.join(", ") + ". The follow-ups are in Today."));
      if (waiting.length) {
        box.appendChild(el("p", { "class": "waiting" }, waiting.length + (waiting.length === 1 ? " capture is" : " captures are") +
          " kept on this phone (" + waiting.map(function (i) { return i.data.name; }).join(", ") +
          ") and will be sent when the server can be reached."));
        if (signedOut) {
          var again = el("p", { "class": "signed-out" }, "The server asks this phone to sign in again: ");
          again.appendChild(el("a", { href: "/login?next=" + encodeURIComponent(location.pathname) }, "sign in"));
          box.appendChild(again);
        }
      }
      items.filter(function (i) { return !Outbox.waiting(i); }).forEach(function (item) {
        var p = el("div", { "class": "blocked" });
        if (item.candidates) {
          p.appendChild(el("p", {}, item.data.name + " looks like someone you know:"));
          item.candidates.forEach(function (k) {
            p.appendChild(el("button", { type: "button", "data-outbox": item.client_id, "data-known": String(k.id) }, "This is " + k.name));
          });
          p.appendChild(el("button", { type: "button", "class": "secondary", "data-outbox": item.client_id, "data-new": "1" }, "Someone new"));
        } else {
          p.appendChild(el("p", {}, "Not saved: " + item.data.name + ": " + item.error));
          p.appendChild(el("button", { type: "button", "class": "secondary", "data-outbox": item.client_id, "data-discard": "1" }, "Discard"));
        }
        box.appendChild(p);
      });
      box.hidden = !box.childNodes.length;
    });
  }

  function flush() {
    if (!Outbox) return Promise.resolve();
    return Outbox.flush().then(function (result) {
      if (result.sent.length) lastSent = lastSent.concat(result.sent);
      signedOut = result.error === "signed out";
      return render();
    });
  }

  function formData(form) {
    var f = new FormData(form);
    var eventId = parseInt(f.get("event_id") || "", 10);
    return {
      name: (f.get("name") || "").trim(), organization: (f.get("organization") || "").trim(),
      which: f.get("which") || "need", text: (f.get("text") || "").trim(), email: (f.get("email") || "").trim(),
      event_id: isNaN(eventId) ? null : eventId, client_id: Outbox.newId()
    };
  }

  function keepOffline(form, data) {
    return Outbox.keep(data).then(function () {
      form.reset();
      if ("serviceWorker" in navigator && window.isSecureContext) {
        navigator.serviceWorker.ready.then(function (reg) {
          if (reg.sync) return reg.sync.register("givefirst-captures");
        }).catch(function () { /* no Background Sync: the pages retry when the network returns */ });
      }
      return render();
    });
  }

  function onSubmit(event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-capture]") || !Outbox) return;
    event.preventDefault();
    var data = formData(form);
    if (!data.name) { form.reportValidity(); return; }
    if (!navigator.onLine) { keepOffline(form, data); return; }
    var csrf = form.querySelector("input[name=csrf_token]").value;
    var attempt = function (token, retried) {
      return Outbox.send(data, token).then(function (r) {
        if (r.ok) {
          return r.json().then(function (done) {
            window.location.assign(data.event_id ? "/events/" + data.event_id + "/live?ok=captured&pid=" + done.person_id
                                                 : "/people/" + done.person_id);
          });
        }
        if (r.status === 403 && !retried) return Outbox.token().then(function (t) { return attempt(t, true); });
        // Looks like someone known, or bad input: the server's own page asks (the form keeps what was typed).
        form.querySelector("input[name=client_id]").value = data.client_id;
        form.submit();
      });
    };
    attempt(csrf, false).catch(function () { keepOffline(form, data); });
  }

  function onClick(event) {
    var button = event.target.closest && event.target.closest("[data-outbox]");
    if (!button) return;
    var id = button.getAttribute("data-outbox");
    Outbox.all().then(function (items) {
      var item = items.filter(function (i) { return i.client_id === id; })[0];
      if (!item) return render();
      if (button.hasAttribute("data-discard")) return Outbox.remove(id).then(render);
      if (button.hasAttribute("data-known")) item.data.known_id = parseInt(button.getAttribute("data-known"), 10);
      if (button.hasAttribute("data-new")) item.data["new"] = true;
      item.candidates = null;
      item.error = null;
      return Outbox.put(item).then(flush);
    });
  }

  document.addEventListener("submit", onSubmit);
  document.addEventListener("click", onClick);
  window.addEventListener("online", flush);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) flush(); });
  setInterval(function () { if (navigator.onLine) flush(); }, 30000);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", flush); else flush();
})();
