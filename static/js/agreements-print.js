// The yearly report's print button without inline script: an element with data-print opens the print dialog.
document.addEventListener("click", function (event) {
  var el = event.target.closest && event.target.closest("[data-print]");
  if (el) {
    event.preventDefault();
    window.print();
  }
});
