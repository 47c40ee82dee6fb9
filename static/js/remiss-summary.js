// The drafting group's written summary: autosave with a version check, a copy in localStorage, and a
// side-by-side comparison when someone else saved meanwhile. Nothing typed is thrown away.
(function () {
  "use strict";
  var form = document.querySelector("form[data-summary-autosave]");
  if (!form) return;
  var msgNode = document.getElementById("remiss-summary-messages");
  var MSG = msgNode ? JSON.parse(msgNode.textContent) : {};
  var url = form.getAttribute("data-summary-autosave");
  var csrfUrl = form.getAttribute("data-csrf-url");
  var storageKey = form.getAttribute("data-storage-key");
  var box = form.querySelector("textarea[name=text]");
  var versionInput = form.querySelector("input[name=version]");
  var statusEl = form.querySelector("[data-save-status]");
  var conflictEl = form.querySelector("[data-conflict]");
  var problemEl = form.querySelector("[data-save-problem]");
  var DEBOUNCE_MS = 1500;

  var base = box.value;      // the saved text this page last knew
  var dirty = false;
  var timer = null;
  var saving = false;
  var again = false;
  var blocked = false;
  var theirs = null;         // {version, text} while a conflict is shown

  function setStatus(text) { statusEl.textContent = text || ""; }

  function showProblem(text) {
    problemEl.textContent = text || "";
    problemEl.hidden = !text;
  }

  function store() {
    try {
      if (!dirty) { window.localStorage.removeItem(storageKey); return; }
      window.localStorage.setItem(storageKey, JSON.stringify({ version: versionInput.value, text: box.value, base: base }));
    } catch (e) { /* storage full or disabled: the server copy still works */ }
  }

  function csrfToken() {
    var el = form.querySelector('input[name="csrf_token"]');
    return el ? el.value : "";
  }

  function schedule(ms) {
    if (timer) window.clearTimeout(timer);
    timer = window.setTimeout(function () { timer = null; save(); }, ms == null ? DEBOUNCE_MS : ms);
  }

  function refreshToken() {
    fetch(csrfUrl, { credentials: "same-origin", headers: { "Accept": "application/json" }, cache: "no-store" })
      .then(function (resp) { return resp.ok ? resp.json() : null; })
      .then(function (data) {
        if (!data || !data.logged_in) { schedule(5000); return; }
        form.ownerDocument.querySelectorAll('input[name="csrf_token"]').forEach(function (el) { el.value = data.csrf_token; });
        blocked = false;
        showProblem("");
        save();
      })
      .catch(function () { schedule(10000); });
  }

  function showConflict(data) {
    if (box.value === data.text) {
      // Both wrote the same: carry on from the saved version.
      versionInput.value = data.version;
      base = data.text;
      dirty = false;
      store();
      setStatus(MSG.saved_none);
      return;
    }
    theirs = { version: data.version, text: data.text };
    blocked = true;
    conflictEl.querySelector("[data-mine]").textContent = box.value;
    conflictEl.querySelector("[data-theirs]").textContent = data.text;
    var by = conflictEl.querySelector("[data-theirs-by]");
    if (by) by.textContent = data.by ? (MSG.saved_by || "%s").replace("%s", data.by) : "";
    conflictEl.hidden = false;
    setStatus(MSG.conflict);
  }

  function save(opts) {
    opts = opts || {};
    if (blocked || !dirty) return;
    if (saving) { again = true; return; }
    saving = true;
    var sent = box.value;
    setStatus(MSG.saving);
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      keepalive: !!opts.keepalive,
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify({ version: versionInput.value, text: sent })
    }).then(function (resp) {
      return resp.json().catch(function () { return {}; }).then(function (data) { handle(resp.status, data, sent); });
    }).catch(function () {
      setStatus(MSG.offline);
      schedule(10000);
    }).then(function () {
      saving = false;
      if (again) { again = false; schedule(200); }
    });
  }

  function handle(status, data, sent) {
    if (status === 200 && data.ok) {
      versionInput.value = data.version;
      base = sent;
      if (box.value === sent) dirty = false;
      store();
      showProblem("");
      setStatus((MSG.saved_at || "%s").replace("%s", data.saved_at));
      if (dirty) schedule();
      return;
    }
    if (status === 409) { showConflict(data); return; }
    if (status === 401) { blocked = true; showProblem(data.message || MSG.login); setStatus(MSG.not_saved); refreshToken(); return; }
    if (status === 400 && data.error === "csrf") { blocked = true; setStatus(MSG.not_saved); refreshToken(); return; }
    if (status === 429 || status >= 500) { setStatus(MSG.not_saved); schedule(10000); return; }
    showProblem(data.message || MSG.error);
    setStatus(MSG.not_saved);
  }

  form.querySelector("[data-conflict-keep]").addEventListener("click", function () {
    if (!theirs) return;
    versionInput.value = theirs.version;  // my text, saved on top of theirs: the writer chose so, having read both
    base = theirs.text;
    theirs = null;
    blocked = false;
    conflictEl.hidden = true;
    dirty = true;
    save();
  });

  form.querySelector("[data-conflict-take]").addEventListener("click", function () {
    if (!theirs) return;
    box.value = theirs.text;
    versionInput.value = theirs.version;
    base = theirs.text;
    theirs = null;
    blocked = false;
    dirty = false;
    conflictEl.hidden = true;
    store();
    setStatus(MSG.saved_none);
  });

  box.addEventListener("input", function () {
    dirty = box.value !== base;
    store();
    if (!blocked) setStatus(dirty ? MSG.unsaved : "");
    if (dirty) schedule();
  });

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") save({ keepalive: true });
  });
  window.addEventListener("pagehide", function () { save({ keepalive: true }); });

  form.addEventListener("submit", function () {
    try { window.localStorage.removeItem(storageKey); } catch (e) { /* ignore */ }
  });

  // A copy left by a closed tab or a lost session: put it back and save it against the version it was written
  // on, so the server shows a conflict rather than replacing what someone else saved since.
  var saved = null;
  try { saved = JSON.parse(window.localStorage.getItem(storageKey) || "null"); } catch (e) { saved = null; }
  if (saved && typeof saved.text === "string" && saved.text !== box.value) {
    box.value = saved.text;
    versionInput.value = saved.version;
    base = saved.base;
    dirty = true;
    setStatus(MSG.restored);
    schedule(500);
  } else if (saved) {
    try { window.localStorage.removeItem(storageKey); } catch (e) { /* ignore */ }
  }
})();
