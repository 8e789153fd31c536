// The Network page: draws /network.json with Cytoscape (vendored), positions computed by the server.
// With a mouse: the wheel zooms, a drag moves the picture, hovering a dot names it and a click opens the person.
// On a touch screen: a one-finger swipe scrolls the page (Cytoscape never sees it), two fingers zoom and move the
// picture, and a tap names the person nearest to it (within REACH px: the dots are small) with a link to their page;
// a second tap on the same person opens it.
"use strict";
(function () {
  var box = document.getElementById("graph");
  var status = document.getElementById("graph-status");
  if (!box || typeof cytoscape === "undefined") return;
  var REACH = 16;  // CSS px around a dot that still counts as a tap on it
  var touchFirst = window.matchMedia && window.matchMedia("(hover: none), (pointer: coarse)").matches;
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
      function describe(node) { return node.data("tier") === "me" ? "you" : node.data("label") + " · " + node.data("tier"); }
      // Hovering a dot names it (labels only show when zoomed in): the tip is text, placed through the CSSOM.
      var tip = document.getElementById("graph-tip");
      var moved = 0;  // when the view last moved: no tip while zooming or panning, to keep frames short
      cy.on("mouseover", "node", function (event) {
        if (!tip || Date.now() - moved < 250) return;
        var node = event.target;
        tip.textContent = describe(node);
        var at = node.renderedPosition();
        tip.style.left = Math.round(at.x + 10) + "px";
        tip.style.top = Math.round(at.y + 10) + "px";
        tip.hidden = false;
      });
      function hideTip() { if (tip && !tip.hidden) tip.hidden = true; }  // a no-op while hidden: zooming stays smooth
      cy.on("mouseout", "node", hideTip);
      cy.on("viewport", function () { moved = Date.now(); hideTip(); hidePick(); });
      cy.on("tap", "node", function (event) {  // a mouse click (touches are handled below)
        var pid = event.target.data("pid");
        if (pid) window.location.href = "/people/" + pid;
      });

      // Touch: what a tap shows, placed beside the dot and kept inside the picture.
      var pick = document.getElementById("graph-pick");
      var picked = null;
      function hidePick() {
        if (pick && !pick.hidden) pick.hidden = true;
        if (picked) { picked.unselect(); picked = null; }
      }
      function showPick(node) {
        if (!pick) return;
        hidePick();
        picked = node;
        node.select();
        pick.textContent = "";
        var pid = node.data("pid");
        if (pid) {
          var link = document.createElement("a");
          link.href = "/people/" + pid;
          link.textContent = node.data("label");
          pick.appendChild(link);
          var tier = document.createElement("small");
          tier.textContent = " · " + node.data("tier");
          pick.appendChild(tier);
          pick.setAttribute("data-pid", String(pid));
        } else {
          pick.textContent = "you";
          pick.removeAttribute("data-pid");
        }
        pick.hidden = false;
        var at = node.renderedPosition();
        pick.setAttribute("data-at", Math.round(at.x) + "," + Math.round(at.y));  // where the dot is, in the picture
        var room = box.clientWidth - pick.offsetWidth - 4;
        var left = Math.max(4, Math.min(room, at.x + 12));
        var top = at.y + 14;
        if (top + pick.offsetHeight > box.clientHeight - 4) top = Math.max(4, at.y - 14 - pick.offsetHeight);
        pick.style.left = Math.round(left) + "px";
        pick.style.top = Math.round(top) + "px";
      }
      function nearest(x, y) {  // the node whose centre is nearest to (x, y), if its edge is within REACH
        var best = null;
        var bestDistance = Infinity;
        cy.nodes().forEach(function (node) {
          var at = node.renderedPosition();
          var distance = Math.sqrt((at.x - x) * (at.x - x) + (at.y - y) * (at.y - y));
          if (distance - node.renderedWidth() / 2 <= REACH && distance < bestDistance) {
            best = node;
            bestDistance = distance;
          }
        });
        return best;
      }
      // One finger never reaches Cytoscape (which would pan the picture and keep the page from scrolling): the
      // browser scrolls the page, and a tap is ours. Two fingers go to Cytoscape, until every finger is lifted.
      var gesture = null;  // {x, y, at, moved} of a one-finger touch; "many" while two fingers or more are down
      function onTouch(event) {
        var touches = event.touches.length;
        if (gesture === "many" || (event.type === "touchstart" && touches > 1)) {
          gesture = touches === 0 ? null : "many";
          return;  // Cytoscape's: pinch to zoom, two fingers to move
        }
        event.stopPropagation();
        var touch = event.changedTouches[0];
        if (event.type === "touchstart") {
          gesture = { x: touch.clientX, y: touch.clientY, at: Date.now(), moved: false };
        } else if (event.type === "touchmove" && gesture) {
          if (Math.abs(touch.clientX - gesture.x) > 10 || Math.abs(touch.clientY - gesture.y) > 10) gesture.moved = true;
        } else if (event.type === "touchend" && gesture) {
          var tap = !gesture.moved && Date.now() - gesture.at < 800;
          gesture = null;
          if (!tap) return;
          event.preventDefault();  // no mouse events after it: they would open the page at once
          var rect = box.getBoundingClientRect();
          var node = nearest(touch.clientX - rect.left - box.clientLeft, touch.clientY - rect.top - box.clientTop);
          if (!node) { hidePick(); return; }
          if (node === picked && node.data("pid")) { window.location.href = "/people/" + node.data("pid"); return; }
          showPick(node);
        } else {
          gesture = null;
        }
      }
      ["touchstart", "touchmove", "touchend", "touchcancel"].forEach(function (type) {
        box.addEventListener(type, onTouch, { capture: true, passive: type !== "touchend" });
      });

      // The buttons zoom about the middle of the picture; "Whole network" goes back to the first view.
      var home = { zoom: cy.zoom(), pan: cy.pan() };
      var zoom = document.querySelector(".graph-zoom");
      if (zoom) {
        zoom.addEventListener("click", function (event) {
          var button = event.target.closest("[data-zoom]");
          if (!button) return;
          var how = button.getAttribute("data-zoom");
          if (how === "fit") { cy.viewport({ zoom: home.zoom, pan: { x: home.pan.x, y: home.pan.y } }); return; }
          cy.zoom({ level: cy.zoom() * (how === "in" ? 1.5 : 1 / 1.5),
                    renderedPosition: { x: box.clientWidth / 2, y: box.clientHeight / 2 } });
        });
        zoom.hidden = false;
      }
      box.setAttribute("data-ready", String(data.nodes.length));
      status.textContent = data.shown + " of " + data.people_in_network + " people, " + data.edges.length +
        " ties among them. " + (touchFirst ? "Tap a person to see who they are." : "Click a person to open their page.");
    })
    .catch(function (err) { status.textContent = "The network could not be drawn: " + err.message; });
})();
