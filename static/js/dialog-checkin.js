// Check-in list: the forms work without JavaScript; this makes a tick instant and filters as you type.
(function () {
  "use strict";
  var list = document.querySelector("[data-checkin-list]");
  if (!list) { return; }
  var presentCount = document.querySelector("[data-present-count]");
  var registeredCount = document.querySelector("[data-registered-count]");

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrf_token]");
    return input ? input.value : "";
  }

  function render(form, attended) {
    var row = form.closest(".checkin-row");
    var button = form.querySelector("button");
    var hidden = form.querySelector("input[name=present]");
    row.classList.toggle("is-present", attended);
    hidden.value = attended ? "0" : "1";
    button.setAttribute("aria-pressed", attended ? "true" : "false");
    button.classList.toggle("button-secondary", attended);
    var name = button.querySelector(".visually-hidden");
    button.textContent = button.getAttribute(attended ? "data-label-present" : "data-label-absent");
    if (name) { button.appendChild(name); }
  }

  list.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-checkin-form") || !window.fetch) { return; }
    event.preventDefault();
    var button = form.querySelector("button");
    button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(form), "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      if (!result.ok) { throw new Error(result.data.message || "error"); }
      render(form, result.data.attended);
      if (presentCount) { presentCount.textContent = result.data.present_count; }
      if (registeredCount) { registeredCount.textContent = result.data.registered_count; }
    }).catch(function () {
      // Fall back to an ordinary submit: the server answers with the page and any message.
      form.submit();
    }).finally(function () {
      button.disabled = false;
    });
  });

  var filter = document.querySelector("[data-checkin-filter]");
  if (filter) {
    filter.addEventListener("input", function () {
      var query = filter.value.trim().toLowerCase();
      list.querySelectorAll(".checkin-row").forEach(function (row) {
        row.hidden = query !== "" && row.getAttribute("data-search").indexOf(query) === -1;
      });
    });
  }
})();
