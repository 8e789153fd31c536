// givefirst: quick captures made while the server cannot be reached wait here, in IndexedDB on the phone, and are
// sent when it can be. Loaded by the pages (live.js) and by the service worker (sw.js, for Background Sync).
//
// CSRF: a queued capture does not keep the page's token (the server may have restarted, and a new session has a
// new token). Sending, it first reads the session's token from /capture/token.json (same origin only: another
// site can neither read it nor send the session's cookie, which is SameSite=Strict), then posts the capture as
// JSON with the X-CSRF-Token header. Each capture carries a random client id: the server records a capture whose
// id it has seen once, so a send whose answer was lost can be sent again safely.
"use strict";
(function (scope) {
  var DB = "givefirst", STORE = "outbox";

  function open() {
    return new Promise(function (resolve, reject) {
      var req = scope.indexedDB.open(DB, 1);
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE, { keyPath: "client_id" }); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function withStore(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(STORE, mode);
        var req = work(t.objectStore(STORE));
        t.oncomplete = function () { db.close(); resolve(req ? req.result : undefined); };
        t.onerror = function () { db.close(); reject(t.error); };
      });
    });
  }

  function put(item) { return withStore("readwrite", function (s) { return s.put(item); }); }
  function remove(id) { return withStore("readwrite", function (s) { return s.delete(id); }); }
  function all() { return withStore("readonly", function (s) { return s.getAll(); }); }

  function newId() {
    // crypto.randomUUID needs a secure context; a phone on the LAN over plain http is not one.
    var bytes = new Uint8Array(16);
    scope.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function token() {
    return fetch("/capture/token.json", { credentials: "same-origin", cache: "no-store" }).then(function (r) {
      if (!r.ok) throw new Error(r.status === 401 ? "signed out" : "server answered " + r.status);
      return r.json();
    }).then(function (j) { return j.csrf_token; });
  }

  function send(data, csrf) {
    return fetch("/capture.json", {
      method: "POST", credentials: "same-origin", cache: "no-store",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(data)
    });
  }

  function waiting(item) { return !item.candidates && !item.error; }

  // Send every waiting capture; answer {sent: [names], items: what is left}. A capture the server refuses for
  // a reason the user must settle (it looks like someone known, or bad input) stays, marked, until they do.
  var running = null;
  function flush() {
    if (running) return running;
    var sent = [];
    running = all().then(function (items) {
      var todo = items.filter(waiting);
      if (!todo.length) return items;
      return token().then(function (csrf) {
        return todo.reduce(function (chain, item) {
          return chain.then(function () {
            return send(item.data, csrf).then(function (r) {
              if (r.ok) { sent.push(item.data.name); return remove(item.client_id); }
              if (r.status === 409 || r.status === 400 || r.status === 404 || r.status === 422) {
                return r.json().then(function (j) {
                  item.candidates = j.candidates || null;
                  item.error = j.candidates ? null : (j.error || "refused");
                  return put(item);
                });
              }
              throw new Error("server answered " + r.status); // signed out, busy: keep it, try again later
            });
          });
        }, Promise.resolve());
      }).then(all);
    }).then(function (items) {
      return { sent: sent, items: items };
    }, function (error) {
      return all().then(function (items) { return { sent: sent, items: items, error: String(error.message || error) }; });
    }).then(function (result) { running = null; return result; });
    return running;
  }

  function keep(data) {
    var item = { client_id: data.client_id, data: data, saved_at: new Date().toISOString() };
    return put(item).then(function () { return item; });
  }

  scope.GivefirstOutbox = { all: all, put: put, remove: remove, flush: flush, keep: keep, newId: newId,
                            token: token, send: send, waiting: waiting };
})(self);
