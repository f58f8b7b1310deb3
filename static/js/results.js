// mitwirken – export progress: progressive enhancement only. Without this
// file the status page of an export has a link that reloads it; with it,
// the status box is refreshed in place every two seconds until the export
// is done, and screen readers hear the change through the live region.
(function () {
  "use strict";
  var box = document.querySelector("[data-export-status]");
  if (!box || box.getAttribute("data-finished") === "true") {
    return;
  }
  var poll = function () {
    fetch(window.location.pathname, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var next = doc.querySelector("[data-export-status]");
        if (!next) {
          return;
        }
        box.innerHTML = next.innerHTML;
        if (next.getAttribute("data-finished") !== "true") {
          window.setTimeout(poll, 2000);
        }
      })
      .catch(function () { /* keep the reload link */ });
  };
  window.setTimeout(poll, 2000);
})();
