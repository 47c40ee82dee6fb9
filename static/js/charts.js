// Draws every <script type="application/json" data-plotly-for="ID"> into the element with that id.
// window.SamradCharts.config is the one Plotly config of the site; barometer-presenter.js draws the live
// chart with it too. The toolbar offers PNG (camera) and SVG; nothing is sent to Plotly's cloud.
(function () {
  "use strict";
  var lang = document.documentElement.lang === "en" ? "en" : "sv";
  var SVG_LABEL = { sv: "Ladda ner som SVG", en: "Download as SVG" };

  // plotly.js ships no Swedish locale: the toolbar's tooltips and notes, hover labels, number and date format.
  var SWEDISH = {
    moduleType: "locale",
    name: "sv",
    dictionary: {
      "Autoscale": "Autoskala",
      "Box Select": "Markera med rektangel",
      "Lasso Select": "Markera med lasso",
      "Cancel": "Avbryt",
      "Click to enter Colorscale title": "Klicka för att skriva färgskalans rubrik",
      "Click to enter Component A title": "Klicka för att skriva rubrik för komponent A",
      "Click to enter Component B title": "Klicka för att skriva rubrik för komponent B",
      "Click to enter Component C title": "Klicka för att skriva rubrik för komponent C",
      "Click to enter Plot title": "Klicka för att skriva diagrammets rubrik",
      "Click to enter Plot subtitle": "Klicka för att skriva diagrammets underrubrik",
      "Click to enter X axis title": "Klicka för att skriva x-axelns rubrik",
      "Click to enter Y axis title": "Klicka för att skriva y-axelns rubrik",
      "Click to enter radial axis title": "Klicka för att skriva radialaxelns rubrik",
      "Compare data on hover": "Jämför värdena där du pekar",
      "Show closest data on hover": "Visa närmaste värde där du pekar",
      "Toggle show closest data on hover": "Visa eller dölj närmaste värde där du pekar",
      "Double-click on legend to isolate one trace": "Dubbelklicka på en förklaring för att bara visa den serien",
      "Double-click to zoom back out": "Dubbelklicka för att zooma ut igen",
      "Download plot": "Ladda ner diagrammet",
      "Download plot as a PNG": "Ladda ner som PNG",
      "Download plot as JSON": "Ladda ner som JSON",
      "Draw circle": "Rita en cirkel",
      "Draw closed freeform": "Rita en sluten frihandsform",
      "Draw line": "Rita en linje",
      "Draw open freeform": "Rita en öppen frihandsform",
      "Draw rectangle": "Rita en rektangel",
      "Erase active shape": "Ta bort den valda formen",
      "Image download succeeded": "Bilden är nedladdad",
      "JSON download succeeded": "JSON-filen är nedladdad",
      "Orbital rotation": "Fri rotation",
      "Turntable rotation": "Rotation kring axeln",
      "Pan": "Panorera",
      "Preparing image - this may take a few seconds": "Bilden förbereds – det kan ta några sekunder",
      "Produced with Plotly.js": "Skapat med Plotly.js",
      "Reset": "Återställ",
      "Reset axes": "Återställ axlarna",
      "Reset camera to default": "Återställ kameran",
      "Reset camera to last save": "Återställ kameran till senast sparade läge",
      "Reset view": "Återställ vyn",
      "Reset views": "Återställ vyerna",
      "Sorry, there was a problem downloading your image!": "Det gick inte att ladda ner bilden.",
      "Sorry, there was a problem downloading your JSON file!": "Det gick inte att ladda ner JSON-filen.",
      "Toggle Spike Lines": "Visa eller dölj hjälplinjer",
      "Zoom": "Zooma",
      "Zoom in": "Zooma in",
      "Zoom out": "Zooma ut",
      "close:": "stängning:",
      "concentration:": "koncentration:",
      "high:": "högst:",
      "incoming flow count:": "inflöden:",
      "lat:": "lat:",
      "lon:": "long:",
      "low:": "lägst:",
      "lower fence:": "nedre gräns:",
      "max:": "max:",
      "mean ± σ:": "medel ± σ:",
      "mean:": "medel:",
      "median:": "median:",
      "min:": "min:",
      "new text": "ny text",
      "open:": "öppning:",
      "outgoing flow count:": "utflöden:",
      "q1:": "q1:",
      "q3:": "q3:",
      "source:": "källa:",
      "target:": "mål:",
      "trace": "serie",
      "upper fence:": "övre gräns:"
    },
    format: {
      days: ["söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"],
      shortDays: ["sön", "mån", "tis", "ons", "tors", "fre", "lör"],
      months: ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
        "november", "december"],
      shortMonths: ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
      periods: ["fm", "em"],
      dateTime: "%A %-d %B %Y %X",
      date: "%Y-%m-%d",
      time: "%H:%M:%S",
      decimal: ",",
      thousands: "\u00a0",  // a space that does not break a number over two lines
      grouping: [3],
      currency: ["", "\u00a0kr"],
      year: "%Y",
      month: "%b %Y",
      dayMonth: "%-d %b",
      dayMonthYear: "%-d %b %Y"
    }
  };

  // A file name from the page title: "Resultat – Åsiktsbarometer" becomes "resultat-asiktsbarometer".
  function fileName() {
    var title = (document.title || "").split(" · ")[0];
    var slug = title.normalize ? title.normalize("NFD").replace(/[\u0300-\u036f]/g, "") : title;
    slug = slug.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 80);
    return slug || "diagram";
  }

  // A download arrow over a tray (screen coordinates, no transform), beside Plotly's camera for PNG.
  var SVG_ICON = {
    width: 1000,
    height: 1000,
    path: "M440 80h120v400h170l-230 250-230-250h170z M100 650h100v150h600v-150h100v250h-800z",
    transform: ""
  };

  var config = {
    responsive: true,
    displaylogo: false,
    showSendToCloud: false,
    locale: lang,
    toImageButtonOptions: { format: "png", scale: 2, filename: fileName() },
    // No uploading to Plotly Cloud; selecting points means nothing in these charts.
    modeBarButtonsToRemove: ["select2d", "lasso2d", "sendChartToCloud", "sendDataToCloud"],
    modeBarButtonsToAdd: [{
      name: "downloadSvg",
      title: SVG_LABEL[lang],
      icon: SVG_ICON,
      click: function (gd) {
        window.Plotly.downloadImage(gd, { format: "svg", filename: fileName() });
      }
    }]
  };
  // fit(figure, width, boxHeight) gives the layout for a box that wide (the phone version below NARROW px).
  window.SamradCharts = { config: config, fit: fit };

  // --- phones -------------------------------------------------------------------------------------
  // The figures are built on the server for a laptop or a projector. In a box narrower than NARROW px the
  // type gets smaller, a long title wraps, fewer ticks are shown, and the category labels of horizontal
  // bars move from the left of the bars (where they would leave the bars a sliver) to just above them.
  var NARROW = 520;

  function copy(value) { return JSON.parse(JSON.stringify(value || {})); }

  function fitText(text, chars) {
    text = String(text);
    return text.length > chars ? text.slice(0, Math.max(1, chars - 1)).replace(/\s+$/, "") + "…" : text;
  }

  function wrapText(text, chars) {
    var lines = [];
    var line = "";
    String(text).split(/\s+/).forEach(function (word) {
      if (line && (line + " " + word).length > chars) { lines.push(line); line = word; } else { line = line ? line + " " + word : word; }
    });
    if (line) lines.push(line);
    return lines.join("<br>");
  }

  function categoriesOf(data, axis) {
    if (axis.categoryorder === "array" && Array.isArray(axis.categoryarray)) return axis.categoryarray.slice();
    var seen = [];
    data.forEach(function (trace) {
      (trace.y || []).forEach(function (y) { if (seen.indexOf(y) === -1) seen.push(y); });
    });
    return seen;
  }

  function isCategoryBars(data, yaxis) {
    if (yaxis.showticklabels === false || yaxis.type && yaxis.type !== "category") return false;
    var bars = data.filter(function (t) { return t.type === "bar" && t.orientation === "h"; });
    return bars.length > 0 && bars.length === data.length && bars.every(function (t) {
      return Array.isArray(t.y) && t.y.length > 0 && t.y.every(function (y) { return typeof y === "string" && isNaN(Number(y)); });
    });
  }

  function fit(fig, width, boxHeight) {
    var layout = copy(fig.layout);
    if (width >= NARROW) return layout;
    var size = Math.min((layout.font && layout.font.size) || 13, 13);
    var chars = Math.max(12, Math.floor((width - 16) / (size * 0.55)));
    layout.font = Object.assign({}, layout.font, { size: size });
    layout.legend = Object.assign({}, layout.legend, { font: { size: 12 } });
    layout.hoverlabel = Object.assign({}, layout.hoverlabel, { font: { size: 13 } });
    var title = layout.title && (typeof layout.title === "string" ? { text: layout.title } : layout.title);
    if (title && title.text) {
      var titleChars = Math.floor((width - 24) / (15 * 0.6));
      title.text = wrapText(title.text, titleChars);
      title.font = Object.assign({}, title.font, { size: 15 });
      layout.title = title;
      layout.margin = Object.assign({}, layout.margin);
      layout.margin.t = Math.max(layout.margin.t || 0, 20 + 20 * title.text.split("<br>").length);
    }
    layout.annotations = (layout.annotations || []).map(function (a) {
      return Object.assign({}, a, { font: Object.assign({}, a.font, { size: Math.min((a.font && a.font.size) || size, size) }) });
    });
    // Notes on one line at the top (the barometer's two poles) that no longer fit side by side: the first
    // one goes a line higher.
    var top = layout.annotations.filter(function (a) { return a.yref === "paper" && a.y >= 1 && a.text; });
    var topChars = top.reduce(function (n, a) { return n + String(a.text).length + 2; }, 0);
    if (top.length === 2 && top[0].y === top[1].y && topChars > chars) {
      top[1].yshift = (top[1].yshift || 0) + 6;
      top[0].yshift = (top[0].yshift || 0) + size + 12;
      layout.margin = Object.assign({}, layout.margin);
      layout.margin.t = (layout.margin.t || 0) + size + 12;
    }
    var xaxis = layout.xaxis = Object.assign({}, layout.xaxis);
    if (Array.isArray(xaxis.tickvals) && xaxis.tickvals.length > 5) {
      xaxis.tickvals = xaxis.tickvals.filter(function (_, i) { return i % 2 === 0; });
      if (Array.isArray(xaxis.ticktext)) xaxis.ticktext = xaxis.ticktext.filter(function (_, i) { return i % 2 === 0; });
    } else if (!xaxis.tickvals) {
      xaxis.nticks = Math.min(xaxis.nticks || 5, 5);
    }
    var yaxis = layout.yaxis = Object.assign({}, layout.yaxis);
    if (isCategoryBars(fig.data || [], yaxis)) {
      var reversed = yaxis.autorange === "reversed";
      var gap = Math.max(layout.bargap || 0, 0.5);
      layout.bargap = gap;
      yaxis.showticklabels = false;
      layout.margin = Object.assign({}, layout.margin, { l: 8, r: 8 });
      var categories = categoriesOf(fig.data, yaxis);
      // Room for each row (label and bar) and for the legend below the axis, one line per entry.
      var rows = categories.length * 64;
      var entries = layout.showlegend === false ? 0 : fig.data.filter(function (t) { return t.showlegend !== false; }).length;
      var legend = entries > 1 ? entries * 20 + 10 : 0;
      layout.height = Math.max(layout.height || boxHeight || 0, rows + (layout.margin.t || 0) + (layout.margin.b || 0) + legend);
      if (legend) layout.legend = Object.assign(layout.legend, { x: 0, xanchor: "left", y: -36 / rows, yanchor: "top" });
      categories.forEach(function (category, i) {
        var edge = reversed ? i - (1 - gap) / 2 : i + (1 - gap) / 2;  // the upper edge of the bar
        layout.annotations.push({
          xref: "paper", x: 0, xanchor: "left", yref: "y", y: edge, yanchor: "bottom", yshift: 1,
          text: fitText(category, chars), showarrow: false, align: "left", font: { size: size },
          bgcolor: "rgba(255,255,255,0.85)", borderpad: 0
        });
      });
    }
    return layout;
  }

  function plot(el, fig) {
    var width = el.clientWidth;
    el._samradFigure = fig;
    el.dataset.chartWidth = String(width);
    el.dataset.chartNarrow = String(width < NARROW);
    return window.Plotly.newPlot(el, fig.data, fit(fig, width, el.clientHeight), config);
  }

  // Charts follow the width of their box, not only the window (a scrollbar appearing, a phone turned), and
  // are drawn again when they cross NARROW.
  var observer = window.ResizeObserver ? new ResizeObserver(function (entries) {
    entries.forEach(function (entry) {
      var el = entry.target;
      var width = Math.round(entry.contentRect.width);
      if (!el._fullLayout || !window.Plotly || el.dataset.chartWidth === String(width)) return;
      el.dataset.chartWidth = String(width);
      if (el._samradFigure && el.dataset.chartNarrow !== String(width < NARROW)) {
        el.dataset.chartNarrow = String(width < NARROW);
        window.Plotly.react(el, el._samradFigure.data, fit(el._samradFigure, width, el.clientHeight), config);
      } else {
        window.Plotly.Plots.resize(el);
      }
    });
  }) : null;

  function draw() {
    if (!window.Plotly) return;
    document.querySelectorAll("script[data-plotly-for]").forEach(function (node) {
      var target = document.getElementById(node.getAttribute("data-plotly-for"));
      if (!target) return;
      // The height the page asked for (no inline style attribute: the CSP may one day forbid it).
      if (target.dataset.minHeight) target.style.minHeight = target.dataset.minHeight + "px";
      plot(target, JSON.parse(node.textContent));
    });
    if (observer) document.querySelectorAll(".chart").forEach(function (el) { observer.observe(el); });
  }

  if (window.Plotly) window.Plotly.register(SWEDISH);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
