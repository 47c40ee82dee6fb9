// The action plan's heatmap: a click on a cell opens that cell's indicators and evidence (its URL travels in
// the figure's customdata). The table under the chart has the same links for keyboards and screen readers.
(function () {
  "use strict";
  function attach(el, tries) {
    if (typeof el.on !== "function") {
      if (tries > 0) window.setTimeout(function () { attach(el, tries - 1); }, 100);
      return;
    }
    el.on("plotly_click", function (event) {
      var point = event && event.points && event.points[0];
      if (point && typeof point.customdata === "string" && point.customdata.charAt(0) === "/") {
        window.location.href = point.customdata;
      }
    });
    el.classList.add("clickable");
  }
  function start() {
    var el = document.getElementById("matrix-chart");
    if (el) attach(el, 100);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
}());
