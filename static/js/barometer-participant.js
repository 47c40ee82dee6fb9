// The participant's phone: join once, follow the moderator (Server-Sent Events, polling when the
// stream breaks), answer with one tap. An answer is kept until the server has acknowledged it and
// retried on network errors, so a flaky venue network loses nothing.
(function () {
  "use strict";
  var app = document.getElementById("live-app");
  if (!app) return;
  var t = JSON.parse(document.getElementById("barometer-i18n").textContent);
  var code = app.dataset.code;
  var tokenKey = "samrad-barometer-token-" + code;
  var answersKey = "samrad-barometer-answers-" + code;
  var token = localStorage.getItem(tokenKey);
  var answers = {};
  try { answers = JSON.parse(localStorage.getItem(answersKey) || "{}") || {}; } catch (e) { answers = {}; }
  var state = null;
  var pending = null; // {statementId, value}: sent but not yet acknowledged
  var retryTimer = null;
  var views = ["join", "wait", "statement", "ended"];

  function $(id) { return document.getElementById(id); }
  function fmt(text, values) {
    return text.replace(/\{(\w+)\}/g, function (_, k) { return values[k]; });
  }
  function show(name) {
    views.forEach(function (v) { $("view-" + v).hidden = v !== name; });
  }
  function setStatus(text) { $("answer-status").textContent = text || ""; }
  function setConnection(text) { $("connection").textContent = text || ""; }
  function saveAnswers() { localStorage.setItem(answersKey, JSON.stringify(answers)); }

  function headers(extra) {
    var h = { "Accept": "application/json" };
    if (token) h["Authorization"] = "Bearer " + token;
    for (var k in extra || {}) h[k] = extra[k];
    return h;
  }

  // --- joining ---------------------------------------------------------------------------
  function join(background) {
    return fetch(app.dataset.joinUrl, {
      method: "POST", headers: headers({ "Content-Type": "application/json" }),
      body: JSON.stringify({ background: background || {} })
    }).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) throw new Error(body.message || t.joinFailed);
        token = body.participant_token;
        localStorage.setItem(tokenKey, token);
        answers = {};
        saveAnswers();
      });
    });
  }

  $("join-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var background = {};
    this.querySelectorAll("input[type=radio]:checked").forEach(function (input) {
      background[input.dataset.question] = input.value || null;
    });
    var button = this.querySelector("button[type=submit]");
    button.disabled = true;
    join(background).then(start, function (err) {
      $("join-error").textContent = err.message || t.joinFailed;
      $("join-error").hidden = false;
      button.disabled = false;
    });
  });

  // --- rendering -------------------------------------------------------------------------
  function render(next) {
    var previous = state;
    state = next;
    if (next.state === "ended") { show("ended"); stopLive(); return; }
    var st = next.statement;
    if (!st) { show("wait"); return; }
    if (!next.statement_open && !next.results_shown) {
      show("wait");
      $("wait-note").textContent = answers[st.id] !== undefined ? t.closedWithAnswer : t.closed;
      return;
    }
    show("statement");
    var changed = !previous || !previous.statement || previous.statement.id !== st.id;
    if (changed) {
      $("statement-number").textContent = fmt(t.statementOf, { n: st.number, total: next.statement_count });
      $("statement-text").textContent = st.text;
      buildButtons(st);
      setStatus("");
      // Move focus so a screen reader reads the new statement.
      if (previous) $("statement-text").focus();
    }
    if (next.my_answer && next.my_answer.answered && answers[st.id] === undefined && !pending) {
      answers[st.id] = next.my_answer.value;
      saveAnswers();
    }
    markSelected(st.id);
    var open = next.statement_open;
    app.querySelectorAll(".answer-button").forEach(function (b) { b.disabled = !open; });
    $("closed-note").hidden = open;
    if (!open && !pending) setStatus(answers[st.id] !== undefined ? t.closedWithAnswer : "");
    renderResult(st, next.results_shown ? next.results : null);
  }

  function buildButtons(st) {
    var box = $("scale-buttons");
    box.innerHTML = "";
    box.className = "scale-buttons steps-" + st.steps.length;
    st.steps.forEach(function (step) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "answer-button step-" + step.value + "-of-" + st.steps.length;
      b.dataset.value = String(step.value);
      b.setAttribute("aria-pressed", "false");
      var num = document.createElement("span");
      num.className = "step-number";
      num.textContent = step.value;
      num.setAttribute("aria-hidden", "true");
      var label = document.createElement("span");
      label.className = "step-label";
      label.textContent = step.label;
      var check = document.createElement("span");
      check.className = "check";
      check.textContent = "✓";
      check.setAttribute("aria-hidden", "true");
      b.appendChild(num);
      b.appendChild(label);
      b.appendChild(check);
      b.addEventListener("click", function () { answer(st.id, step.value); });
      box.appendChild(b);
    });
    var dk = $("dont-know");
    dk.hidden = !st.allow_dont_know;
    dk.onclick = function () { answer(st.id, null); };
  }

  function markSelected(statementId) {
    var chosen = pending && pending.statementId === statementId ? pending.value : answers[statementId];
    var has = pending && pending.statementId === statementId || answers[statementId] !== undefined;
    app.querySelectorAll("#scale-buttons .answer-button").forEach(function (b) {
      b.setAttribute("aria-pressed", has && String(chosen) === b.dataset.value ? "true" : "false");
    });
    $("dont-know").setAttribute("aria-pressed", has && chosen === null ? "true" : "false");
  }

  function renderResult(st, results) {
    var box = $("result");
    if (!results) { box.hidden = true; return; }
    box.hidden = false;
    var list = $("result-bars");
    list.innerHTML = "";
    var answered = results.counts.reduce(function (a, b) { return a + b; }, 0);
    st.steps.forEach(function (step, i) {
      var n = results.counts[i] || 0;
      var pct = answered ? Math.round(100 * n / answered) : 0;
      var li = document.createElement("li");
      var label = document.createElement("span");
      label.className = "bar-label";
      label.textContent = step.label + ": " + pct + " % (" + n + ")";
      var bar = document.createElement("span");
      bar.className = "bar step-" + step.value + "-of-" + st.steps.length;
      bar.style.width = pct + "%";
      li.appendChild(label);
      li.appendChild(bar);
      list.appendChild(li);
    });
    $("result-total").textContent = fmt(t.total, { n: results.total }) +
      (results.dont_know ? " · " + t.dontKnow + ": " + results.dont_know : "");
  }

  // --- answering -------------------------------------------------------------------------
  function answer(statementId, value) {
    pending = { statementId: statementId, value: value };
    markSelected(statementId);
    setStatus(t.saving);
    send(0);
  }

  function send(attempt) {
    clearTimeout(retryTimer);
    if (!pending) return;
    var mine = pending;
    var url = app.dataset.answerUrl.replace(/\/statements\/0\//, "/statements/" + mine.statementId + "/");
    fetch(url, {
      method: "PUT", headers: headers({ "Content-Type": "application/json" }),
      body: JSON.stringify({ value: mine.value })
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) {
        if (pending !== mine) return; // a newer tap is on its way
        if (r.ok) {
          answers[mine.statementId] = mine.value;
          saveAnswers();
          pending = null;
          setStatus(t.saved);
        } else if (r.status === 429 || r.status >= 500) {
          var wait = parseInt(r.headers.get("Retry-After") || "1", 10) * 1000;
          setStatus(t.retrying);
          retryTimer = setTimeout(function () { send(attempt + 1); }, Math.min(wait, 5000));
          return;
        } else if (r.status === 401) {
          // The server no longer knows this phone: join again and resend the same answer.
          token = null;
          localStorage.removeItem(tokenKey);
          join({}).then(function () { send(attempt + 1); });
          return;
        } else {
          pending = null;
          setStatus(body.message || t.closed);
          refresh();
        }
        markSelected(mine.statementId);
      });
    }, function () {
      if (pending !== mine) return;
      setStatus(t.retrying);
      // Spread out: after a server restart a whole hall retries, not all in the same instant.
      var delay = Math.min(1000 * (attempt + 1), 5000) * (0.75 + Math.random() * 0.5);
      retryTimer = setTimeout(function () { send(attempt + 1); }, delay);
    });
  }

  // --- following the moderator (live-stream.js: stream, or polling with ETag while it is down) ----
  var follower = null;

  function refresh() {
    if (follower) return follower.refresh();
    return Promise.resolve(null);
  }

  function stopLive() {
    if (follower) follower.stop();
  }

  function start() {
    follower = window.SamradLive.follow({
      eventsUrl: app.dataset.eventsUrl,
      pollUrl: app.dataset.stateUrl,
      headers: function () { return token ? { "Authorization": "Bearer " + token } : {}; },
      on: { state: render },
      onPoll: render,
      onMode: function (mode) {
        setConnection(mode === "polling" ? t.polling : mode === "offline" ? t.offline : "");
      }
    });
    follower.refresh().catch(function () { setConnection(t.offline); });
  }

  if (token) {
    start();
  } else if (app.dataset.hasQuestions === "true") {
    show("join");
  } else {
    join({}).then(start, function () { show("join"); });
  }
  // A phone that slept may have missed events (live-stream.js looks again) or an answer: resend it.
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && token && pending) send(0);
  });
})();
