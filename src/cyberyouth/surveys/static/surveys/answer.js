// "Show if": a question appears only when the earlier answer it depends on is chosen.
// Without JavaScript every question shows, with its condition written under it; the server
// drops answers to questions whose condition is not met.
(function () {
  function chosen(name) {
    return Array.prototype.map.call(document.querySelectorAll('input[name="' + name + '"]:checked'),
      function (i) { return i.value; });
  }
  function update() {
    document.querySelectorAll("[data-show-if]").forEach(function (wrap) {
      var wanted = wrap.getAttribute("data-show-values").split(",");
      var on = chosen(wrap.getAttribute("data-show-if")).some(function (v) { return wanted.indexOf(v) >= 0; });
      wrap.hidden = !on;
      var note = wrap.querySelector(".show-if-note");
      if (note) { note.hidden = true; }
    });
  }
  document.addEventListener("change", update);
  document.addEventListener("DOMContentLoaded", update);
})();
