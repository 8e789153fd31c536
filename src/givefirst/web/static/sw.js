// givefirst's service worker: the app's shell and the last copy of Today, event mode, quick capture and your
// card stay usable offline; captures made offline are sent by Background Sync where the browser has it (the
// pages also send them when they are opened or the network returns: static/live.js).
"use strict";
importScripts("/static/outbox.js");

var VERSION = "givefirst-4";  // a new name whenever the shell changes: installed phones then fetch it anew
var SHELL = [
  "/static/style.css", "/static/live.css", "/static/app.js", "/static/live.js", "/static/outbox.js", "/static/search.js",
  "/static/vendor/htmx.min.js", "/static/favicon.svg", "/static/icons/icon-192.png", "/manifest.webmanifest"
];
// Pages kept for offline use (network first: online, you always see the server's answer).
// (Today's Heard section is a fragment loaded after the page: kept with it, so Today reads whole offline.)
var PAGES = /^\/(today|capture|card)(\.json)?$|^\/events\/\d+\/live(\.json)?$|^\/heard\/section$/;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(VERSION).then(function (c) { return c.addAll(SHELL); }).then(function () {
    return self.skipWaiting();
  }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== VERSION; }).map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

function offlinePage() {
  var html = "<!doctype html><meta charset=utf-8><meta name=viewport content='width=device-width, initial-scale=1'>" +
    "<title>Offline · givefirst</title><h1>The server cannot be reached</h1>" +
    "<p>Your last copies: <a href='/today'>Today</a> · <a href='/capture'>Met someone</a> · <a href='/card'>My card</a>.</p>" +
    "<p>Captures you make are kept on this phone and sent when the server is back.</p>";
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return; // changes always go to the server (or to the outbox, by the page)
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.searchParams.has("token")) return;
  var page = PAGES.test(url.pathname);
  var kept = page || url.pathname.indexOf("/static/") === 0 || url.pathname === "/manifest.webmanifest";
  if (!kept && request.mode !== "navigate") return;
  // Other pages are not kept (your notes stay on the server), but offline they get a page that says so.
  event.respondWith(fetch(request).then(function (response) {
    if (kept && response.ok && response.type === "basic") {
      var copy = response.clone();
      caches.open(VERSION).then(function (c) { return c.put(request, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(request, { ignoreSearch: page }).then(function (hit) {
      return hit || (request.mode === "navigate" ? offlinePage() : Response.error());
    });
  }));
});

self.addEventListener("sync", function (event) {
  if (event.tag !== "givefirst-captures") return;
  event.waitUntil(self.GivefirstOutbox.flush().then(function (result) {
    return self.clients.matchAll().then(function (clients) {
      clients.forEach(function (c) { c.postMessage({ type: "outbox", sent: result.sent }); });
      if (result.items.some(self.GivefirstOutbox.waiting)) throw new Error("some captures still wait");
    });
  }));
});
