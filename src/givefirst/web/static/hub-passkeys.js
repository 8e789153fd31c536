// The hub's passkeys (WebAuthn): "Add a passkey" on /me and "Sign in with a passkey" on /login.
// The server sends WebAuthn's options as JSON with binary fields in base64url and takes the device's answer back
// the same way; this file converts between those strings and the ArrayBuffers the browser API wants. Served by
// the app itself (the CSP allows no other script). Without WebAuthn the passkey controls stay hidden.
(function () {
  "use strict";

  function toBytes(text) {
    var b64 = text.replace(/-/g, "+").replace(/_/g, "/");
    b64 += "====".slice(0, (4 - (b64.length % 4)) % 4);
    var raw = atob(b64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes.buffer;
  }

  function toText(buffer) {
    var bytes = new Uint8Array(buffer);
    var raw = "";
    for (var i = 0; i < bytes.length; i++) raw += String.fromCharCode(bytes[i]);
    return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function descriptors(list) {
    return (list || []).map(function (c) {
      return { type: c.type, id: toBytes(c.id), transports: c.transports };
    });
  }

  function creationOptions(o) {
    o.challenge = toBytes(o.challenge);
    o.user.id = toBytes(o.user.id);
    o.excludeCredentials = descriptors(o.excludeCredentials);
    return o;
  }

  function requestOptions(o) {
    o.challenge = toBytes(o.challenge);
    o.allowCredentials = descriptors(o.allowCredentials);
    return o;
  }

  function answer(credential) {
    var r = credential.response;
    var response = { clientDataJSON: toText(r.clientDataJSON) };
    if (r.attestationObject) {
      response.attestationObject = toText(r.attestationObject);
      response.transports = typeof r.getTransports === "function" ? r.getTransports() : [];
    } else {
      response.authenticatorData = toText(r.authenticatorData);
      response.signature = toText(r.signature);
      if (r.userHandle) response.userHandle = toText(r.userHandle);
    }
    return {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      response: response,
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
      clientExtensionResults: credential.getClientExtensionResults(),
    };
  }

  // POST JSON; resolve with the JSON answer, or reject with the hub's one-line error.
  function post(url, body, csrf) {
    var headers = { "content-type": "application/json", accept: "application/json" };
    if (csrf) headers["x-csrf-token"] = csrf;
    return fetch(url, {
      method: "POST", headers: headers, body: JSON.stringify(body || {}), credentials: "same-origin",
    }).then(function (response) {
      var json = (response.headers.get("content-type") || "").indexOf("application/json") === 0;
      if (!json) throw new Error("the hub did not answer as expected (" + response.status + "): reload the page");
      return response.json().then(function (data) {
        if (!response.ok) throw new Error(data.error || "refused (" + response.status + ")");
        return data;
      });
    });
  }

  function explain(error) {
    // the browser's own refusals: the person cancelled, the time ran out, or the device already holds one
    if (error && error.name === "NotAllowedError") return "The passkey was not used (cancelled, or it took too long).";
    if (error && error.name === "InvalidStateError") return "This device already holds a passkey for you here.";
    if (error && error.name === "SecurityError") {
      return "Passkeys need the hub at its domain name over https (or on localhost), not at an IP address.";
    }
    return (error && error.message) || String(error);
  }

  function show(box, message) {
    if (!box) return;
    box.textContent = message;
    box.hidden = !message;
  }

  function setUp() {
    var supported = !!(window.PublicKeyCredential && navigator.credentials && navigator.credentials.create);

    var login = document.getElementById("passkey-login");
    if (login && supported) {
      login.hidden = false;
      var error = login.querySelector("[data-passkey-error]");
      login.querySelector("[data-passkey-login]").addEventListener("click", function (event) {
        var button = event.currentTarget;
        button.disabled = true;
        show(error, "");
        post("/login/passkey/options")
          .then(function (options) {
            return navigator.credentials.get({ publicKey: requestOptions(options) });
          })
          .then(function (credential) {
            return post("/login/passkey", { credential: answer(credential), next: login.dataset.next || "/" });
          })
          .then(function (done) { window.location.assign(done.next); })
          .catch(function (e) { show(error, explain(e)); button.disabled = false; });
      });
    }

    var add = document.querySelector("[data-passkey-add]");
    if (add && supported) {
      add.hidden = false;
      var section = add.closest("section") || document;
      var unsupported = section.querySelector("[data-passkey-unsupported]");
      if (unsupported) unsupported.hidden = true;
      var addError = section.querySelector("[data-passkey-error]");
      var csrf = add.querySelector("input[name=csrf_token]").value;
      add.addEventListener("submit", function (event) {
        event.preventDefault();
        var button = add.querySelector("button");
        var name = add.querySelector("input[name=name]").value;
        button.disabled = true;
        show(addError, "");
        post("/me/passkeys/options", {}, csrf)
          .then(function (options) {
            return navigator.credentials.create({ publicKey: creationOptions(options) });
          })
          .then(function (credential) {
            return post("/me/passkeys", { name: name, credential: answer(credential) }, csrf);
          })
          .then(function (done) { window.location.assign(done.next); })
          .catch(function (e) { show(addError, explain(e)); button.disabled = false; });
      });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
