// The remiss answer editor: autosave with a version check, a copy of every keystroke in localStorage,
// and recovery when the session or the CSRF token is gone. Nothing typed is thrown away.
(function () {
  "use strict";
  var form = document.getElementById("remiss-answer-form");
  if (!form || form.getAttribute("data-accepting") !== "true") return;

  var DEBOUNCE_MS = 2000;
  var msgNode = document.getElementById("remiss-answer-messages");
  var MSG = msgNode ? JSON.parse(msgNode.textContent) : {};
  // The fields the server saves, from the page: name -> null (the answer's own) or [section id, field].
  var fieldsNode = document.getElementById("remiss-answer-fields");
  var FIELDS = fieldsNode ? JSON.parse(fieldsNode.textContent) : {};
  var url = form.getAttribute("data-autosave-url");
  var csrfUrl = form.getAttribute("data-csrf-url");
  var storageKey = form.getAttribute("data-storage-key");
  var versionInput = form.querySelector("input[name=version]");
  var statusEl = form.querySelector("[data-save-status]");
  var problem = form.querySelector("[data-save-problem]");
  var problemText = form.querySelector("[data-save-problem-text]");
  var conflictEl = form.querySelector("[data-conflict]");
  var conflictList = form.querySelector("[data-conflict-list]");
  var restoredEl = form.querySelector("[data-restored]");

  var dirty = {};
  // The saved value of each field as this page last knew it: what a save by someone else is compared with,
  // so that only a field both people changed is a conflict (a three-way merge, field by field).
  var base = {};
  var timer = null;
  var saving = false;
  var again = false;
  var blocked = null; // "login" | "csrf" | "conflict" | null
  var conflict = null;
  var poller = null;
  var submitAfterSave = null;
  var baseVersionOverride = null;

  function isField(el) {
    if (!el || !el.name) return false;
    return Object.prototype.hasOwnProperty.call(FIELDS, el.name);
  }

  function elements(name) {
    return form.querySelectorAll('[name="' + name + '"]');
  }

  function readField(name) {
    var els = elements(name);
    if (!els.length) return null;
    var first = els[0];
    if (first.type === "radio") {
      for (var i = 0; i < els.length; i++) if (els[i].checked) return els[i].value;
      return "";
    }
    if (first.type === "checkbox") return first.checked;
    return first.value;
  }

  function writeField(name, value) {
    var els = elements(name);
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      if (el.type === "radio") el.checked = el.value === (value || "");
      else if (el.type === "checkbox") el.checked = !!value;
      else el.value = value == null ? "" : value;
    }
  }

  function labelFor(name) {
    var el = elements(name)[0];
    if (!el) return name;
    if (el.type === "radio") {
      var fs = el.closest("fieldset");
      var legend = fs && fs.querySelector("legend");
      return legend ? legend.textContent.trim() : name;
    }
    var label = form.querySelector('label[for="' + el.id + '"]');
    return label ? label.textContent.trim() : name;
  }

  function fieldNames() {
    var names = {};
    form.querySelectorAll("input, textarea").forEach(function (el) { if (isField(el)) names[el.name] = true; });
    return Object.keys(names);
  }

  function serverValue(current, name) {
    var m = FIELDS[name];
    if (m) {
      var row = (current.sections || {})[m[0]];
      if (!row) return "";
      return row[m[1]] == null ? "" : row[m[1]];
    }
    var v = current[name];
    return v == null ? "" : v;
  }

  function payload(values) {
    var fields = { sections: {} };
    Object.keys(values).forEach(function (name) {
      var m = FIELDS[name];
      if (m) {
        fields.sections[m[0]] = fields.sections[m[0]] || {};
        fields.sections[m[0]][m[1]] = values[name];
      } else {
        fields[name] = values[name];
      }
    });
    return { version: baseVersionOverride || versionInput.value, fields: fields };
  }

  // --- localStorage: the copy that survives a lost session, a crash or a closed tab ---
  function store() {
    try {
      var names = Object.keys(dirty);
      if (!names.length) {
        window.localStorage.removeItem(storageKey);
        return;
      }
      var values = {};
      var bases = {};
      names.forEach(function (n) {
        values[n] = readField(n);
        if (n in base) bases[n] = base[n];
      });
      window.localStorage.setItem(storageKey, JSON.stringify({
        version: baseVersionOverride || versionInput.value, values: values, base: bases, at: Date.now()
      }));
    } catch (e) { /* storage full or disabled: the server copy still works */ }
  }

  function restore() {
    var saved;
    try { saved = JSON.parse(window.localStorage.getItem(storageKey) || "null"); } catch (e) { saved = null; }
    if (!saved || !saved.values) return;
    var changed = false;
    Object.keys(saved.values).forEach(function (name) {
      if (readField(name) !== null && readField(name) !== saved.values[name]) {
        writeField(name, saved.values[name]);
        dirty[name] = true;
        changed = true;
        // The text was written from the saved value of its own time, not from what the page shows now.
        if (saved.base && name in saved.base) base[name] = saved.base[name];
        else delete base[name];
      }
    });
    if (!changed) {
      window.localStorage.removeItem(storageKey);
      return;
    }
    // Saved from an older version: send it against that version so the server shows a conflict
    // instead of silently replacing what someone else saved since.
    if (String(saved.version) !== String(versionInput.value)) baseVersionOverride = String(saved.version);
    if (restoredEl) restoredEl.hidden = false;
    schedule(500);
  }

  // --- status and problems ---
  function setStatus(text) {
    if (statusEl) statusEl.textContent = text;
  }

  function showProblem(text, withLogin) {
    problemText.textContent = text;
    var link = problem.querySelector("[data-login-link]");
    if (link) link.hidden = !withLogin;
    problem.hidden = false;
  }

  function hideProblem() {
    problem.hidden = true;
  }

  function setCsrf(token) {
    form.ownerDocument.querySelectorAll('input[name="csrf_token"]').forEach(function (el) { el.value = token; });
  }

  function csrfToken() {
    var el = form.querySelector('input[name="csrf_token"]');
    return el ? el.value : "";
  }

  // After a lost session: poll for a fresh token; it arrives once the user has logged in again (other tab).
  function startPolling() {
    if (poller) return;
    poller = window.setInterval(refreshToken, 4000);
    window.addEventListener("focus", refreshToken);
  }

  function stopPolling() {
    if (poller) window.clearInterval(poller);
    poller = null;
    window.removeEventListener("focus", refreshToken);
  }

  function refreshToken() {
    return fetch(csrfUrl, { credentials: "same-origin", headers: { "Accept": "application/json" }, cache: "no-store" })
      .then(function (resp) {
        if (!resp.ok) return null;
        return resp.json().then(function (data) {
          if (!data.logged_in) {
            blocked = "login";
            showProblem(MSG.login || "", true);
            startPolling();
            return;
          }
          setCsrf(data.csrf_token);
          stopPolling();
          blocked = null;
          hideProblem();
          save();
        });
      })
      .catch(function () { /* offline: the next poll tries again */ });
  }

  // --- conflict ---
  function showConflict(data) {
    conflict = data;
    blocked = "conflict";
    conflictList.textContent = "";
    Object.keys(data.current ? collectNames() : {}).forEach(function (name) {
      var theirs = serverValue(data.current, name);
      var mine = readField(name);
      if (mine === null) return;
      if (!dirty[name]) {
        writeField(name, theirs); // not edited here: take the saved text quietly
        base[name] = theirs;
        return;
      }
      if (String(mine) === String(theirs)) {
        delete dirty[name];
        base[name] = theirs;
        return;
      }
      if (name in base && String(base[name]) === String(theirs)) {
        return; // only this page changed it: not a conflict, it is saved on the new version
      }
      var box = document.createElement("div");
      box.className = "remiss-compare";
      var h = document.createElement("h3");
      h.textContent = labelFor(name);
      h.className = "remiss-compare-title";
      box.appendChild(h);
      [[MSG.mine, mine], [MSG.theirs, theirs]].forEach(function (pair) {
        var col = document.createElement("div");
        var t = document.createElement("h4");
        t.textContent = pair[0];
        var p = document.createElement("p");
        p.className = "answer-text";
        p.textContent = typeof pair[1] === "boolean" ? (pair[1] ? MSG.yes : MSG.no) : pair[1];
        col.appendChild(t);
        col.appendChild(p);
        box.appendChild(col);
      });
      conflictList.appendChild(box);
    });
    if (!conflictList.children.length) {
      // Nothing of ours differs: continue on the new version.
      versionInput.value = data.version;
      baseVersionOverride = null;
      conflict = null;
      blocked = null;
      store();
      if (Object.keys(dirty).length) save();
      return;
    }
    conflictEl.hidden = false;
    conflictEl.scrollIntoView({ block: "start" });
    setStatus(MSG.conflict || "");
  }

  function collectNames() {
    var names = {};
    fieldNames().forEach(function (n) { names[n] = true; });
    Object.keys(dirty).forEach(function (n) { names[n] = true; });
    return names;
  }

  form.querySelector("[data-conflict-keep]").addEventListener("click", function () {
    if (!conflict) return;
    Object.keys(dirty).forEach(function (name) { base[name] = serverValue(conflict.current, name); });
    versionInput.value = conflict.version;
    baseVersionOverride = null;
    conflict = null;
    blocked = null;
    conflictEl.hidden = true;
    save();
  });

  form.querySelector("[data-conflict-take]").addEventListener("click", function () {
    if (!conflict) return;
    Object.keys(dirty).forEach(function (name) {
      writeField(name, serverValue(conflict.current, name));
      base[name] = serverValue(conflict.current, name);
    });
    dirty = {};
    versionInput.value = conflict.version;
    baseVersionOverride = null;
    conflict = null;
    blocked = null;
    conflictEl.hidden = true;
    store();
    setStatus(MSG.saved_none || "");
  });

  // --- saving ---
  function schedule(ms) {
    if (timer) window.clearTimeout(timer);
    timer = window.setTimeout(function () { timer = null; save(); }, ms == null ? DEBOUNCE_MS : ms);
  }

  function save(opts) {
    opts = opts || {};
    if (blocked) return;
    var names = Object.keys(dirty);
    if (!names.length) {
      if (submitAfterSave) finishSubmit();
      return;
    }
    if (saving) {
      again = true;
      return;
    }
    saving = true;
    var sent = {};
    names.forEach(function (n) { sent[n] = readField(n); });
    setStatus(MSG.saving || "");
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      keepalive: !!opts.keepalive,
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(payload(sent))
    }).then(function (resp) {
      return resp.json().catch(function () { return {}; }).then(function (data) { handle(resp.status, data, sent); });
    }).catch(function () {
      setStatus(MSG.offline || "");
      schedule(10000);
    }).then(function () {
      saving = false;
      if (again) {
        again = false;
        schedule(200);
      }
    });
  }

  function handle(status, data, sent) {
    if (status === 200 && data.ok) {
      versionInput.value = data.version;
      baseVersionOverride = null;
      Object.keys(sent).forEach(function (n) {
        base[n] = sent[n];
        if (readField(n) === sent[n]) delete dirty[n];
      });
      store();
      hideProblem();
      setStatus((MSG.saved_at || "Sparat kl. %s").replace("%s", data.saved_at));
      if (Object.keys(dirty).length) schedule();
      else if (submitAfterSave) finishSubmit();
      return;
    }
    submitAfterSave = null;
    if (status === 401) {
      blocked = "login";
      showProblem(data.message || MSG.login, true);
      setStatus(MSG.not_saved || "");
      startPolling();
    } else if (status === 400 && data.error === "csrf") {
      blocked = "csrf";
      setStatus(MSG.not_saved || "");
      refreshToken();
    } else if (status === 409) {
      showConflict(data);
    } else if (status === 429 || status >= 500) {
      // Busy or a passing server error: the text stays, try again shortly.
      setStatus(MSG.not_saved || "");
      schedule(10000);
    } else {
      showProblem(data.message || MSG.error || "", false);
      setStatus(MSG.not_saved || "");
    }
  }

  function finishSubmit() {
    var next = submitAfterSave;
    submitAfterSave = null;
    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = "next";
    hidden.value = next;
    form.appendChild(hidden);
    try { window.localStorage.removeItem(storageKey); } catch (e) { /* ignore */ }
    form.submit();
  }

  function onEdit(event) {
    if (!isField(event.target)) return;
    dirty[event.target.name] = true;
    if (restoredEl) restoredEl.hidden = true; // the notice has been read once the user writes again
    store();
    if (!blocked) setStatus(MSG.unsaved || "");
    schedule();
  }

  form.addEventListener("input", onEdit);
  form.addEventListener("change", onEdit);

  // Save before the page goes away: tab hidden, navigation or close.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") save({ keepalive: true });
  });
  window.addEventListener("pagehide", function () { save({ keepalive: true }); });

  // The submit buttons: first let autosave finish, so the form never posts an old version.
  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    if (!Object.keys(dirty).length && !saving) return;
    event.preventDefault();
    if (blocked) return;
    submitAfterSave = submitter && submitter.value ? submitter.value : "stay";
    save();
  });

  fieldNames().forEach(function (n) { base[n] = readField(n); });
  restore();
})();
