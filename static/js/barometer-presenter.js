// The presenter screen and the moderator's control page: live statement, exact counts and the
// diverging chart (figure built on the server, drawn with Plotly.react so nothing flickers).
// Moderator buttons are ordinary POST forms sent with fetch; keyboard shortcuts press them.
(function () {
  "use strict";
  var root = document.getElementById("presenter");
  if (!root) return;
  var t = JSON.parse(document.getElementById("presenter-i18n").textContent);
  var initial = JSON.parse(document.getElementById("live-initial").textContent);
  var chart = document.getElementById("live-chart");
  var state = null;

  function field(name) { return root.querySelectorAll('[data-field="' + name + '"]'); }
  function setText(name, text) { field(name).forEach(function (el) { el.textContent = text; }); }
  function fmt(text, values) { return text.replace(/\{(\w+)\}/g, function (_, k) { return values[k]; }); }

  function renderState(s) {
    state = s;
    if (s.statement) {
      setText("number", fmt(t.statementOf, { n: s.statement.number, total: s.statement_count }));
      setText("text", s.statement.text);
    } else {
      setText("number", "");
      setText("text", t.none);
    }
    setText("open", s.state === "ended" ? t.ended : (s.statement_open ? t.open : t.closed));
    field("open").forEach(function (el) { el.classList.toggle("badge-ok", !!s.statement_open); });
    field("shown").forEach(function (el) { el.hidden = !s.results_shown; });
    if (typeof s.participants === "number") setText("participants", s.participants);
    root.classList.toggle("is-open", !!s.statement_open);
    root.querySelectorAll("[data-action]").forEach(function (form) {
      var a = form.dataset.action;
      var hide = (a === "open" && s.statement_open) || (a === "close" && !s.statement_open) ||
        (a === "show" && s.results_shown) || (a === "hide" && !s.results_shown);
      form.hidden = hide;
    });
    root.querySelectorAll(".goto-button").forEach(function (b) {
      var current = s.statement && String(s.statement.id) === b.dataset.statement;
      if (current) b.setAttribute("aria-current", "true"); else b.removeAttribute("aria-current");
    });
  }

  function renderCounts(c) {
    setText("total", c.total || 0);
    setText("dont-know", c.dont_know || 0);
    if (typeof c.participants === "number") setText("participants", c.participants);
    if (!chart || !window.Plotly) return;
    if (!c.figure) { window.Plotly.purge(chart); return; }
    var config = (window.SamradCharts && window.SamradCharts.config) || { responsive: true, displaylogo: false };
    window.Plotly.react(chart, c.figure.data, fit(c.figure), config);
  }

  // The server builds the chart for a projector; on a phone-sized control page, scale the type down
  // (on a phone, charts.js's phone layout: poles one above the other, fewer ticks).
  function fit(figure) {
    var layout = figure.layout, width = chart.clientWidth;
    if (width >= 640) return layout;
    if (window.SamradCharts && window.SamradCharts.fit && width < 520) {
      return window.SamradCharts.fit(figure, width, 300);
    }
    var small = JSON.parse(JSON.stringify(layout));
    small.font = Object.assign({}, small.font, { size: 13 });
    small.legend = Object.assign({}, small.legend, { font: { size: 12 }, y: -0.35 });
    small.height = 300;
    (small.annotations || []).forEach(function (a) { a.font = { size: 13 }; });
    small.uniformtext = { minsize: 11, mode: "hide" };
    return small;
  }

  // --- live updates: live-stream.js (SSE, polling while it is down) ------------------------------
  function startStream() {
    window.SamradLive.follow({
      eventsUrl: root.dataset.eventsUrl,
      pollUrl: root.dataset.pollUrl,
      on: { state: renderState, counts: renderCounts },
      onPoll: function (d) { renderState(d.state); renderCounts(d.counts); },
      onMode: function (mode) { setText("connection", mode === "live" || mode === "stopped" ? "" : t.offline); }
    });
  }

  // --- moderator actions -----------------------------------------------------------------------
  function submitAction(form) {
    var body = new URLSearchParams(new FormData(form));
    return fetch(form.action, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (r) {
      return r.json().then(function (d) {
        if (!r.ok) { setText("connection", d.message || t.failed); return; }
        renderState(d);
        setText("connection", "");
      });
    }).catch(function () { setText("connection", t.failed); });
  }

  root.addEventListener("submit", function (event) {
    var form = event.target.closest("[data-action]");
    if (!form) return;
    event.preventDefault();
    submitAction(form);
  });

  function press(action) {
    var form = root.querySelector('[data-action="' + action + '"]');
    if (form) submitAction(form);
  }

  if (root.dataset.mode === "presenter") {
    document.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      if (/^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName)) return;
      var key = event.key;
      if (key === "ArrowRight" || key === "PageDown" || key === "n" || key === "N") press("next");
      else if (key === "ArrowLeft" || key === "PageUp" || key === "p" || key === "P") press("prev");
      else if (key === "o" || key === "O") press("open");
      else if (key === "s" || key === "S") press("close");
      else if (key === "r" || key === "R") press(state && state.results_shown ? "hide" : "show");
      else if (key === "f" || key === "F") {
        if (document.fullscreenElement) document.exitFullscreen();
        else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen();
      } else return;
      event.preventDefault();
    });
  }

  function boot() {
    renderState(initial.state);
    renderCounts(initial.counts);
    startStream();
  }
  // Plotly is loaded with defer before this file, so it is there once the DOM is parsed.
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})();
