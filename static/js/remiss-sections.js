// The answer form's section list: which sections are answered, progress, and the mode "only the sections I want
// to comment on". It only shows and hides: every field stays in the form, so hidden text is still saved and sent.
(function () {
  "use strict";
  var form = document.getElementById("remiss-answer-form");
  var toc = form && form.querySelector("[data-toc]");
  if (!toc) return;
  var msgNode = document.getElementById("remiss-toc-messages");
  var MSG = msgNode ? JSON.parse(msgNode.textContent) : {};
  var key = (form.getAttribute("data-storage-key") || "samrad-remiss") + "-picked";
  var onlyMine = toc.querySelector("[data-only-mine]");
  var progress = toc.querySelector("[data-progress]");
  var progressText = toc.querySelector("[data-progress-text]");
  var hiddenNote = toc.querySelector("[data-hidden-note]");
  var sections = form.querySelectorAll("section[data-section-id]");
  var FIELDS = ["position", "comment", "proposed_wording"];

  function load() {
    try { return JSON.parse(window.localStorage.getItem(key)) || {}; } catch (e) { return {}; }
  }
  function store(state) {
    try { window.localStorage.setItem(key, JSON.stringify(state)); } catch (e) { /* private mode: no memory */ }
  }
  var state = load();
  state.picked = state.picked || {};

  function fill(text, values) {
    return String(text || "").replace(/%\((\w+)\)s/g, function (_, name) { return values[name]; });
  }

  function sectionDone(id) {
    for (var i = 0; i < FIELDS.length; i++) {
      var els = form.querySelectorAll('[name="s-' + id + "-" + FIELDS[i] + '"]');
      for (var j = 0; j < els.length; j++) {
        var el = els[j];
        if (el.type === "radio") { if (el.checked && el.value) return true; }
        else if (el.value && el.value.trim()) return true;
      }
    }
    return false;
  }

  function refresh() {
    var done = 0, hidden = 0;
    for (var i = 0; i < sections.length; i++) {
      var section = sections[i];
      var id = section.getAttribute("data-section-id");
      var isDone = sectionDone(id);
      if (isDone) done++;
      var item = toc.querySelector('[data-toc-item="' + id + '"]');
      var badge = item && item.querySelector("[data-done-badge]");
      if (badge) {
        badge.textContent = isDone ? MSG.done : MSG.todo;
        badge.classList.toggle("badge-ok", isDone);
      }
      // A section with text in it is never hidden: what was written stays in sight.
      var hide = !!state.only && !state.picked[id] && !isDone;
      section.hidden = hide;
      if (item) item.classList.toggle("remiss-toc-hidden", hide);
      if (hide) hidden++;
    }
    progress.value = done;
    progressText.textContent = fill(MSG.progress, { done: done, total: sections.length });
    hiddenNote.hidden = hidden === 0;
    hiddenNote.textContent = hidden ? fill(MSG.hidden, { n: hidden }) : "";
  }

  toc.querySelector("[data-only-mine-wrap]").hidden = false;
  onlyMine.checked = !!state.only;
  var picks = toc.querySelectorAll("[data-pick]");
  for (var i = 0; i < picks.length; i++) {
    var pick = picks[i];
    pick.hidden = false;
    pick.checked = !!state.picked[pick.getAttribute("data-pick")];
    pick.addEventListener("change", function (event) {
      var id = event.target.getAttribute("data-pick");
      if (event.target.checked) state.picked[id] = true; else delete state.picked[id];
      store(state);
      refresh();
    });
  }
  onlyMine.addEventListener("change", function () {
    state.only = onlyMine.checked;
    store(state);
    refresh();
  });
  // A link in the list to a hidden section shows it first, so the keyboard and the eye land on it.
  toc.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href^='#section-']");
    if (!link) return;
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (target && target.hidden) {
      var id = target.getAttribute("data-section-id");
      state.picked[id] = true;
      store(state);
      var box = toc.querySelector('[data-pick="' + id + '"]');
      if (box) box.checked = true;
      refresh();
    }
  });
  form.addEventListener("input", refresh);
  form.addEventListener("change", refresh);
  refresh();
})();
