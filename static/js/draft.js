// mitwirken – draft moderation: progressive enhancement only. Without this
// file "select all" is a link that reloads the page with every box ticked;
// with it, the link becomes a button that ticks or clears the boxes at once.
(function () {
  "use strict";
  var link = document.querySelector("a[data-select-all]");
  if (!link) {
    return;
  }
  var boxes = function () {
    return Array.prototype.slice.call(document.querySelectorAll("input[type=checkbox][name=ids]"));
  };
  var button = document.createElement("button");
  button.type = "button";
  button.className = "button button-small button-secondary";
  button.textContent = link.getAttribute("data-all");
  button.addEventListener("click", function () {
    var all = boxes();
    var tick = !all.every(function (b) { return b.checked; });
    all.forEach(function (b) { b.checked = tick; });
    button.textContent = tick ? link.getAttribute("data-none") : link.getAttribute("data-all");
  });
  link.parentNode.replaceChild(button, link);
})();
