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

// A part of a form that matters for one choice only: <fieldset data-shown-for="id_kind:split"> is
// hidden unless the select #id_kind is "split" (kept shown while it holds an error to read).
function showChosenParts() {
  document.querySelectorAll("[data-shown-for]").forEach(function (part) {
    var rule = part.getAttribute("data-shown-for").split(":");
    var select = document.getElementById(rule[0]);
    if (select) { part.hidden = select.value !== rule[1] && !part.querySelector(".has-error"); }
  });
}
document.addEventListener("change", showChosenParts);
document.addEventListener("DOMContentLoaded", showChosenParts);
