// Behaviour the pages need, from our own origin (the Content-Security-Policy allows no inline script).
document.addEventListener("change", function (event) {
  var target = event.target;
  if (target.matches && target.matches("select[data-submit-on-change]")) {
    target.form.submit();
  }
});

// "In" (print) buttons: <button type="button" data-print>.
document.addEventListener("click", function (event) {
  if (event.target.closest && event.target.closest("button[data-print]")) {
    window.print();
  }
});
