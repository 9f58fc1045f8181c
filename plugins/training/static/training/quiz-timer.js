/* The live countdown: progressive enhancement (the server's deadline is the only one that
   counts). It counts from the seconds the server gave, not from this computer's clock. */
(function () {
  "use strict";
  var box = document.querySelector("[data-quiz-timer]");
  var form = document.querySelector("[data-quiz-form]");
  if (!box || !form || !window.performance) { return; }
  var messages = JSON.parse(box.getAttribute("data-announcements"));
  var thresholds = Object.keys(messages).map(Number).sort(function (a, b) { return b - a; });
  var start = performance.now();
  var total = Number(box.getAttribute("data-remaining"));
  var clock = box.querySelector("[data-timer-clock]");
  var announce = box.querySelector("[data-timer-announce]");
  var said = {};
  var sent = false;
  thresholds.forEach(function (t) { if (t > 0 && t >= total) { said[t] = true; } });
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function left() {
    return Math.max(0, Math.ceil(total - (performance.now() - start) / 1000));
  }
  function send() {
    if (sent) { return; }
    sent = true;
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
  }
  function tick() {
    var s = left();
    var h = Math.floor(s / 3600);
    var text = pad(Math.floor((s % 3600) / 60)) + ":" + pad(s % 60);
    clock.textContent = h ? h + ":" + text : text;
    thresholds.forEach(function (t) {
      if (s <= t && !said[t]) {
        said[t] = true;
        announce.textContent = messages[String(t)];
      }
    });
    if (s === 0) { send(); } else { window.setTimeout(tick, 1000 - ((performance.now() - start) % 1000)); }
  }
  form.addEventListener("submit", function () { sent = true; });
  box.querySelector("[data-timer-static]").hidden = true;
  box.querySelector("[data-timer-live]").hidden = false;
  /* One timer for the deadline itself: background tabs throttle repeated timers. */
  window.setTimeout(send, total * 1000);
  tick();
})();
