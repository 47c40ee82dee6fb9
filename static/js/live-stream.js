// Following a live session, shared by the phone page and the presenter/control pages: a Server-Sent
// Events stream while the server grants one, polling while it does not. Polls send the last ETag
// (the server answers 304 when nothing changed), wait about a second with jitter so a hall of phones
// does not poll in step, and back off after errors or refusals (Retry-After is honoured). A page that
// wakes from sleep, comes back online or is shown again looks at once and reopens its stream.
//
//   var follower = SamradLive.follow({
//     eventsUrl: "...", pollUrl: "...",
//     headers: function () { return {...}; },     // extra request headers for polls (optional)
//     on: { state: function (data) {}, ... },      // SSE event name -> handler
//     onPoll: function (json) {},                   // a poll's body (not called on 304)
//     onMode: function (mode) {}                    // "live" | "polling" | "offline"
//   });
//   follower.refresh();  follower.stop();
(function () {
  "use strict";
  var POLL_MS = 1000, MAX_BACKOFF_MS = 15000, STREAM_RETRY_MS = 20000, MAX_STREAM_RETRY_MS = 120000;

  function jitter(ms) { return Math.round(ms * (0.75 + Math.random() * 0.5)); }

  function follow(options) {
    var source = null, pollTimer = null, streamTimer = null, etag = null, stopped = false;
    var failures = 0, streamFailures = 0, polling = false, lastTick = Date.now(), inFlight = null;

    function mode(m) { if (options.onMode) options.onMode(m); }

    // --- polling -----------------------------------------------------------------------------
    function refresh() {
      if (inFlight) return inFlight;
      var headers = { "Accept": "application/json" };
      var extra = options.headers ? options.headers() : {};
      for (var k in extra) headers[k] = extra[k];
      if (etag) headers["If-None-Match"] = etag;
      inFlight = fetch(options.pollUrl, { headers: headers, cache: "no-store", credentials: "same-origin" })
        .then(function (r) {
          if (r.status === 304) return null;
          if (!r.ok) {
            var error = new Error(String(r.status));
            error.retryAfter = parseInt(r.headers.get("Retry-After") || "0", 10) * 1000;
            throw error;
          }
          etag = r.headers.get("ETag") || null;
          return r.json().then(function (body) { if (options.onPoll) options.onPoll(body); return body; });
        })
        .then(function (body) { failures = 0; return body; },
              function (error) { failures += 1; throw error; })
        .finally(function () { inFlight = null; });
      return inFlight;
    }

    function schedulePoll(delay) {
      clearTimeout(pollTimer);
      if (stopped || !polling) return;
      pollTimer = setTimeout(function () {
        lastTick = Date.now();
        refresh().then(function () {
          mode("polling");
          schedulePoll(jitter(POLL_MS));
        }, function (error) {
          mode("offline");
          var backoff = Math.min(MAX_BACKOFF_MS, POLL_MS * Math.pow(2, failures));
          schedulePoll(Math.max(error.retryAfter || 0, jitter(backoff)));
        });
      }, delay);
    }

    function startPolling() {
      if (polling || stopped) return;
      polling = true;
      mode("polling");
      schedulePoll(jitter(POLL_MS));
    }

    function stopPolling() {
      polling = false;
      clearTimeout(pollTimer);
      pollTimer = null;
    }

    // --- the stream ----------------------------------------------------------------------------
    function startStream() {
      clearTimeout(streamTimer);
      if (stopped) return;
      if (!window.EventSource) { startPolling(); return; }
      if (source) source.close();
      source = new EventSource(options.eventsUrl);
      Object.keys(options.on || {}).forEach(function (name) {
        source.addEventListener(name, function (e) { options.on[name](JSON.parse(e.data)); });
      });
      source.onopen = function () {
        streamFailures = 0;
        stopPolling();
        mode("live");
      };
      source.onerror = function () {
        // While the browser reconnects by itself, or after the server refused the stream, poll.
        startPolling();
        if (source && source.readyState === EventSource.CLOSED) {
          streamFailures += 1;
          var wait = Math.min(MAX_STREAM_RETRY_MS, STREAM_RETRY_MS * Math.pow(2, streamFailures - 1));
          clearTimeout(streamTimer);
          streamTimer = setTimeout(startStream, jitter(wait));
        }
      };
    }

    // --- waking up -------------------------------------------------------------------------------
    function catchUp() {
      if (stopped) return;
      refresh().catch(function () {});
      if (!source || source.readyState === EventSource.CLOSED) startStream();
    }

    document.addEventListener("visibilitychange", function () { if (!document.hidden) catchUp(); });
    window.addEventListener("online", catchUp);
    window.addEventListener("pageshow", function (e) { if (e.persisted) catchUp(); });
    // Timers stop while a phone sleeps: a tick that comes far too late means it just woke.
    var watchdog = setInterval(function () {
      var now = Date.now();
      if (now - lastTick > 10000) catchUp();
      lastTick = now;
    }, 2000);

    function stop() {
      stopped = true;
      stopPolling();
      clearTimeout(streamTimer);
      clearInterval(watchdog);
      if (source) source.close();
      source = null;
      mode("stopped");
    }

    startStream();
    return { refresh: refresh, stop: stop, startPolling: startPolling };
  }

  window.SamradLive = { follow: follow };
})();
