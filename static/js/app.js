// mitwirken – progressive enhancement only: every flow works without this file.
(function () {
  "use strict";
  // Move focus to the error summary after a failed submit, so screen reader
  // and keyboard users start at the list of problems.
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
})();
