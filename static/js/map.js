// mitwirken – placing a point on a contribution (issue 14): progressive
// enhancement only. Without this file the form offers the Ortsteil and a
// description in words; with it, a click on the server-drawn city map fills
// the hidden inputs lat and lon and chooses the Ortsteil clicked. No tiles
// and no request leave the page.
(function () {
  "use strict";
  var R = 6378137; // Web Mercator sphere, as app/geo draws
  var WORLD = 2 * Math.PI * R;

  // addTiles lays the configured tile service (MITWIRKEN_MAP_TILES) beneath
  // the shapes, at the zoom whose tiles are about 256 drawing units wide.
  function addTiles(svg, template, minX, maxY, scale) {
    var vb = svg.viewBox.baseVal;
    var z = Math.max(0, Math.min(18, Math.round(Math.log(WORLD * scale / 256) / Math.LN2)));
    var size = WORLD / Math.pow(2, z);
    var maxX = minX + vb.width / scale;
    var minY = maxY - vb.height / scale;
    var g = document.createElementNS("http://www.w3.org/2000/svg", "g");
    g.setAttribute("class", "tiles");
    g.setAttribute("aria-hidden", "true");
    for (var tx = Math.floor((minX + WORLD / 2) / size); tx * size - WORLD / 2 < maxX; tx++) {
      for (var ty = Math.floor((WORLD / 2 - maxY) / size); WORLD / 2 - ty * size > minY; ty++) {
        var img = document.createElementNS("http://www.w3.org/2000/svg", "image");
        img.setAttribute("href", template.replace("{z}", z).replace("{x}", tx).replace("{y}", ty));
        img.setAttribute("x", ((tx * size - WORLD / 2 - minX) * scale).toFixed(2));
        img.setAttribute("y", ((maxY - (WORLD / 2 - ty * size)) * scale).toFixed(2));
        img.setAttribute("width", (size * scale).toFixed(2));
        img.setAttribute("height", (size * scale).toFixed(2));
        g.appendChild(img);
      }
    }
    var defs = svg.querySelector("defs");
    svg.insertBefore(g, defs ? defs.nextSibling : svg.firstChild);
    svg.classList.add("with-tiles");
  }
  document.querySelectorAll(".point-picker").forEach(function (picker) {
    var form = picker.closest("form");
    var svg = picker.querySelector("svg");
    var status = form && form.querySelector(".point-status");
    if (!form || !svg || !status) {
      return;
    }
    var lat = form.querySelector("input[name=lat]");
    var lon = form.querySelector("input[name=lon]");
    var ortsteil = form.querySelector("select[name=ortsteil]");
    var minX = parseFloat(picker.dataset.minx);
    var maxY = parseFloat(picker.dataset.maxy);
    var scale = parseFloat(picker.dataset.scale);
    var ns = "http://www.w3.org/2000/svg";
    var marker = document.createElementNS(ns, "circle");
    marker.setAttribute("class", "marker");
    marker.setAttribute("r", "7");
    marker.setAttribute("aria-hidden", "true");
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "button button-small button-secondary";
    remove.textContent = status.dataset.remove;

    function ortsteilName(code) {
      if (!ortsteil) {
        return code;
      }
      var opt = ortsteil.querySelector('option[value="' + code + '"]');
      return opt ? opt.textContent : code;
    }
    function toUnits(lonDeg, latDeg) {
      var x = R * lonDeg * Math.PI / 180;
      var y = R * Math.log(Math.tan(Math.PI / 4 + latDeg * Math.PI / 360));
      return [(x - minX) * scale, (maxY - y) * scale];
    }
    function show(code) {
      var has = lat.value !== "" && lon.value !== "";
      if (has) {
        var p = toUnits(parseFloat(lon.value), parseFloat(lat.value));
        marker.setAttribute("cx", p[0].toFixed(1));
        marker.setAttribute("cy", p[1].toFixed(1));
        svg.appendChild(marker);
        status.textContent = status.dataset.set.replace("%s", code ? ortsteilName(code) : (ortsteil && ortsteil.value ? ortsteilName(ortsteil.value) : ""));
        status.appendChild(document.createTextNode(" "));
        status.appendChild(remove);
      } else {
        if (marker.parentNode) {
          marker.parentNode.removeChild(marker);
        }
        status.textContent = status.dataset.none;
      }
    }
    svg.addEventListener("click", function (ev) {
      var area = ev.target.closest("[data-ortsteil]");
      if (!area) {
        return;
      }
      var pt = svg.createSVGPoint();
      pt.x = ev.clientX;
      pt.y = ev.clientY;
      var u = pt.matrixTransform(svg.getScreenCTM().inverse());
      var mx = minX + u.x / scale;
      var my = maxY - u.y / scale;
      var lonDeg = mx / R * 180 / Math.PI;
      var latDeg = (2 * Math.atan(Math.exp(my / R)) - Math.PI / 2) * 180 / Math.PI;
      // 4 decimals, as the server stores it (about 10 m).
      lat.value = latDeg.toFixed(4);
      lon.value = lonDeg.toFixed(4);
      var code = area.getAttribute("data-ortsteil");
      if (ortsteil) {
        ortsteil.value = code;
      }
      show(code);
    });
    remove.addEventListener("click", function () {
      lat.value = "";
      lon.value = "";
      show("");
      status.focus();
    });
    if (picker.dataset.tiles) {
      addTiles(svg, picker.dataset.tiles, minX, maxY, scale);
    }
    status.tabIndex = -1;
    picker.hidden = false;
    status.hidden = false;
    show("");
  });
})();
