// A print button without inline script: any element with data-print opens the browser's print dialog.
document.addEventListener("click", function (event) {
  var el = event.target.closest && event.target.closest("[data-print]");
  if (el) {
    event.preventDefault();
    window.print();
  }
});
