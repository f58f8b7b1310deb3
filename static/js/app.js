// mitwirken – progressive enhancement only: every flow works without this file.
(function () {
  "use strict";
  // Move focus to the error summary after a failed submit, so screen reader
  // and keyboard users start at the list of problems.
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
    // Following an in-page link scrolls but does not focus the field; do
    // both, and show the field's label too.
    summary.addEventListener("click", function (e) {
      var link = e.target.closest("a[href^='#']");
      if (!link) { return; }
      var field = document.getElementById(link.getAttribute("href").slice(1));
      if (!field) { return; }
      e.preventDefault();
      var label = document.querySelector("label[for='" + field.id + "']");
      (label || field).scrollIntoView({ block: "center" });
      field.focus({ preventScroll: true });
      if (e.detail === 0) {
        // Activated with Enter: the same key press must not go on to submit
        // the form the field now has the focus in.
        var swallow = function (ev) { if (ev.key === "Enter") { ev.preventDefault(); } };
        field.addEventListener("keypress", swallow);
        document.addEventListener("keyup", function () { field.removeEventListener("keypress", swallow); }, { once: true });
      }
    });
  }
})();
