// The team picker (partials/team_picker.html): a filter box over the checkboxes and a count of the chosen ones.
// Without this script the list is plain checkboxes and works the same.
(function () {
  "use strict";
  function setUp(picker) {
    var tools = picker.querySelector("[data-tools]");
    var filter = picker.querySelector("[data-filter]");
    var count = picker.querySelector("[data-count]");
    var none = picker.querySelector("[data-none]");
    var items = Array.prototype.slice.call(picker.querySelectorAll("li[data-name]"));
    if (!tools || !filter) { return; }
    tools.hidden = false;
    function recount() {
      var chosen = picker.querySelectorAll("input[type=checkbox]:checked").length;
      count.textContent = count.getAttribute("data-template").replace("{n}", String(chosen));
    }
    filter.addEventListener("input", function () {
      var wanted = filter.value.trim().toLowerCase();
      var shown = 0;
      items.forEach(function (item) {
        var checked = item.querySelector("input").checked;
        var match = !wanted || item.getAttribute("data-name").indexOf(wanted) !== -1 || checked;
        item.hidden = !match;
        if (match) { shown += 1; }
      });
      none.hidden = shown !== 0;
    });
    filter.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }  // Enter in the filter must not submit the form
    });
    picker.addEventListener("change", recount);
    recount();
  }
  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-team-picker]"), setUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
