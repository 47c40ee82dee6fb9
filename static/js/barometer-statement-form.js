// Statement form: show as many label fields as the chosen scale has steps, with its default labels
// as placeholders.
(function () {
  "use strict";
  var form = document.getElementById("statement-form");
  if (!form) return;
  var defaults = JSON.parse(form.dataset.defaultLabels || "{}");
  var select = form.querySelector("select[name=steps]");
  function update() {
    var n = parseInt(select.value, 10);
    form.querySelectorAll(".step-label").forEach(function (box) {
      var step = parseInt(box.dataset.step, 10);
      box.hidden = step > n;
      var input = box.querySelector("input");
      if (input) input.placeholder = (defaults[n] || [])[step - 1] || "";
    });
  }
  select.addEventListener("change", update);
  update();
})();
