// Draws every <script type="application/json" data-plotly-for="ID"> into the element with that id.
(function () {
  var config = {
    responsive: true,
    displaylogo: false,
    toImageButtonOptions: { format: "png", scale: 2 },
    modeBarButtonsToRemove: ["select2d", "lasso2d"],
    locale: document.documentElement.lang === "en" ? "en" : "sv"
  };
  window.SamradCharts = { config: config };
  function draw() {
    if (!window.Plotly) return;
    document.querySelectorAll("script[data-plotly-for]").forEach(function (node) {
      var target = document.getElementById(node.getAttribute("data-plotly-for"));
      if (!target) return;
      var fig = JSON.parse(node.textContent);
      window.Plotly.newPlot(target, fig.data, fig.layout || {}, config);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
