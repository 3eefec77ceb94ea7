// The host's board: poll the board's JSON every 5 seconds and redraw it (no library, no CDN).
// Marking a question answered posts the form in the background and redraws from the answer.
(function () {
  "use strict";
  var board = document.getElementById("board");
  if (!board || !window.fetch) { return; }
  var source = board.getAttribute("data-source");
  var markBase = board.getAttribute("data-mark");
  var token = (document.querySelector("input[name=csrfmiddlewaretoken]") || {}).value || "";
  var labels = {answered: "Đã trả lời", answer_later: "Sẽ trả lời sau", forwarded: "Chuyển cơ quan, bộ phận khác"};

  function button(id, value, primary) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = labels[value];
    if (!primary) { b.className = "secondary"; }
    b.addEventListener("click", function () { mark(id, value); });
    return b;
  }

  function draw(data) {
    document.getElementById("host-status").textContent = data.status_label;
    document.getElementById("host-pending").textContent = data.pending;
    board.textContent = "";
    if (!data.questions.length) {
      var empty = document.createElement("li");
      empty.className = "empty";
      empty.textContent = "Chưa có câu hỏi nào được duyệt.";
      board.appendChild(empty);
    }
    data.questions.forEach(function (q) {
      var li = document.createElement("li");
      li.className = "answer-" + q.answer;
      li.setAttribute("data-id", q.id);
      var p = document.createElement("p");
      p.className = "q";
      p.textContent = q.text;
      var meta = document.createElement("p");
      meta.className = "small";
      var votes = document.createElement("strong");
      votes.className = "votes";
      votes.textContent = q.votes;
      var state = document.createElement("span");
      state.className = "state";
      state.textContent = q.answer_label;
      meta.appendChild(votes);
      meta.appendChild(document.createTextNode(" bình chọn · "));
      meta.appendChild(state);
      var actions = document.createElement("div");
      actions.className = "mark";
      ["answered", "answer_later", "forwarded"].forEach(function (v) {
        actions.appendChild(button(q.id, v, v === "answered"));
        actions.appendChild(document.createTextNode(" "));
      });
      li.appendChild(p);
      li.appendChild(meta);
      li.appendChild(actions);
      board.appendChild(li);
    });
  }

  function refresh() {
    fetch(source, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { draw(data); } })
      .catch(function () { /* offline for a moment: the next poll tries again */ });
  }

  function mark(id, value) {
    var body = new URLSearchParams();
    body.append("answer", value);
    fetch(markBase + id + "/tra-loi/", {
      method: "POST", credentials: "same-origin", body: body,
      headers: {"X-CSRFToken": token, "Accept": "application/json"}
    }).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { draw(data); } });
  }

  // the server-drawn forms keep working without scripts; with them, the buttons post in the background
  board.addEventListener("submit", function (event) {
    var form = event.target;
    var li = form.closest("li");
    if (!li) { return; }
    event.preventDefault();
    var value = event.submitter ? event.submitter.value : "answered";
    mark(li.getAttribute("data-id"), value);
  });
  window.setInterval(refresh, 5000);
})();
