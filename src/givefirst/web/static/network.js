// The Network page: draws /network.json with Cytoscape (vendored), positions computed by the server.
"use strict";
(function () {
  var box = document.getElementById("graph");
  var status = document.getElementById("graph-status");
  if (!box || typeof cytoscape === "undefined") return;
  // Colours come from the stylesheet's custom properties, so the picture follows the light or the dark theme.
  var css = getComputedStyle(document.documentElement);
  function colour(name) { return css.getPropertyValue("--" + name).trim(); }
  var colours = {};
  ["inner", "close", "active", "acquaintance", "dormant"].forEach(function (t) { colours[t] = colour(t); });
  fetch(box.getAttribute("data-source"), { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
    .then(function (data) {
      var elements = [{ data: { id: "me", label: "you", tier: "me", size: 26 }, position: { x: 0, y: 0 } }];
      data.nodes.forEach(function (n) {
        elements.push({ data: { id: "p" + n.id, pid: n.id, label: n.name, tier: n.tier, size: 6 + 14 * n.strength },
                        position: { x: n.x, y: n.y } });
      });
      data.edges.forEach(function (e) {
        elements.push({ data: { id: "e" + e[0] + "-" + e[1], source: "p" + e[0], target: "p" + e[1], w: e[2] } });
      });
      var cy = cytoscape({
        container: box, elements: elements, layout: { name: "preset" },
        minZoom: 0.05, maxZoom: 4,
        textureOnViewport: true, hideEdgesOnViewport: true, hideLabelsOnViewport: true, pixelRatio: 1,
        style: [
          { selector: "node", style: { width: "data(size)", height: "data(size)", "background-color": colours.dormant,
            label: "data(label)", "font-size": 9, "min-zoomed-font-size": 8, color: colour("ink") } },
          { selector: "node[tier = 'me']", style: { "background-color": colour("ink"), color: colour("ink"), "font-weight": "bold" } },
          { selector: "edge", style: { width: 0.6, "line-color": colour("edge"), opacity: "mapData(w, 0, 1, 0.25, 0.9)",
            "curve-style": "haystack" } },
          { selector: "node:selected", style: { "border-width": 3, "border-color": colour("focus") } }
        ].concat(Object.keys(colours).map(function (tier) {
          return { selector: "node[tier = '" + tier + "']", style: { "background-color": colours[tier] } };
        }))
      });
      // Hovering a dot names it (labels only show when zoomed in): the tip is text, placed through the CSSOM.
      var tip = document.getElementById("graph-tip");
      var moved = 0;  // when the view last moved: no tip while zooming or panning, to keep frames short
      cy.on("mouseover", "node", function (event) {
        if (!tip || Date.now() - moved < 250) return;
        var node = event.target;
        tip.textContent = node.data("tier") === "me" ? "you" : node.data("label") + " · " + node.data("tier");
        var at = node.renderedPosition();
        tip.style.left = Math.round(at.x + 10) + "px";
        tip.style.top = Math.round(at.y + 10) + "px";
        tip.hidden = false;
      });
      function hideTip() { if (tip && !tip.hidden) tip.hidden = true; }  // a no-op while hidden: zooming stays smooth
      cy.on("mouseout", "node", hideTip);
      cy.on("viewport", function () { moved = Date.now(); hideTip(); });
      cy.on("tap", "node", function (event) {
        var pid = event.target.data("pid");
        if (pid) window.location.href = "/people/" + pid;
      });
      box.setAttribute("data-ready", String(data.nodes.length));
      status.textContent = data.shown + " of " + data.people_in_network + " people, " + data.edges.length +
        " ties among them. Click a person to open their page.";
    })
    .catch(function (err) { status.textContent = "The network could not be drawn: " + err.message; });
})();
