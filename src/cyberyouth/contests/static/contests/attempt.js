// The attempt page: save each answer as soon as it is chosen (the buttons still work without
// JavaScript), count the time left as the server said it, and reload at zero (the server closes
// the attempt at its deadline; the page then shows the result).
(function () {
  "use strict";
  var timer = document.getElementById("timer");
  if (timer) {
    var left = parseInt(timer.getAttribute("data-seconds-left"), 10) || 0;
    var deadline = Date.now() + left * 1000;
    var text = document.getElementById("timer-text");
    var tick = function () {
      var s = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      var m = Math.floor(s / 60), r = s % 60;
      text.textContent = m + " phút " + (r < 10 ? "0" : "") + r + " giây";
      if (s <= 60) { timer.classList.add("low"); }
      if (s <= 0) { window.location.reload(); return; }
      window.setTimeout(tick, 500);
    };
    tick();
  }
  var token = timer ? timer.getAttribute("data-answer-token") : "";
  var count = document.getElementById("answered-count");
  document.querySelectorAll("form.question").forEach(function (form) {
    var state = form.querySelector(".saved-state");
    var save = function () {
      var data = new FormData(form);
      if (!data.getAll("choice").length) { return; }
      state.textContent = "Đang lưu…";
      state.classList.remove("error");
      // Sent as a small urlencoded form with the attempt's token: the server answers it without
      // the page stack (contests/answer_path.py); without it, Django's view takes the same form.
      var headers = { "Accept": "application/json" };
      if (token) { headers["X-Attempt-Token"] = token; }
      fetch(form.action, { method: "POST", body: new URLSearchParams(data), credentials: "same-origin",
                           headers: headers })
        .then(function (response) {
          return response.json().then(function (body) { return { ok: response.ok, body: body }; });
        })
        .then(function (res) {
          if (res.ok) {
            if (!form.dataset.saved) {
              form.dataset.saved = "1";
              if (count && !state.dataset.was) { count.textContent = String(parseInt(count.textContent, 10) + 1); }
            }
            state.dataset.was = "1";
            state.textContent = "Đã lưu";
          } else {
            state.textContent = (res.body.detail && res.body.detail[0].message) || "Chưa lưu được";
            state.classList.add("error");
            if (res.body.detail && res.body.detail[0].code === "deadline_passed") { window.location.reload(); }
          }
        })
        .catch(function () {
          state.textContent = "Mất kết nối — chọn lại hoặc bấm Lưu khi có mạng";
          state.classList.add("error");
        });
    };
    if (state.textContent.trim()) { state.dataset.was = "1"; }
    form.addEventListener("change", save);
    form.addEventListener("submit", function (event) { event.preventDefault(); save(); });
  });
}());
