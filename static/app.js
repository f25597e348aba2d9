// Doorway's optional enhancements. Every page works without this file; it only adds a live
// hold countdown, a print button and a quick filter of the open times.
(function () {
  "use strict";

  // Hold countdown: <span data-countdown="587">10 minutes</span> (seconds left at render),
  // inside a notice carrying the words in the page's language: data-tick ("another {t}"),
  // data-over and data-ended. Not an aria-live region: a per-second announcement would drown
  // a screen reader.
  var started = Date.now();
  var counters = document.querySelectorAll("[data-countdown]");
  function words(el, name) {
    var box = el.closest("[data-testid=hold-notice]");
    return (box && box.getAttribute("data-" + name)) || "";
  }
  function tick() {
    for (var i = 0; i < counters.length; i++) {
      var el = counters[i];
      var left = Math.round(+el.getAttribute("data-countdown") - (Date.now() - started) / 1000);
      if (left <= 0) {
        el.textContent = words(el, "over");
        var box = el.closest("[data-testid=hold-notice]");
        if (box && !box.getAttribute("data-done")) {
          box.setAttribute("data-done", "1");
          box.className = "alert";
          var p = document.createElement("p");
          p.textContent = words(el, "ended");
          box.appendChild(p);
        }
        continue;
      }
      var m = Math.floor(left / 60), s = left % 60;
      el.textContent = words(el, "tick").replace("{t}", m + ":" + (s < 10 ? "0" : "") + s);
    }
  }
  if (counters.length) {
    tick();
    setInterval(tick, 1000);
  }

  // Print: a real button where script runs; without script the browser's print works too.
  var prints = document.querySelectorAll("[data-print]");
  for (var j = 0; j < prints.length; j++) {
    prints[j].hidden = false;
    prints[j].addEventListener("click", function () { window.print(); });
  }

  // Quick filter of the open times by time of day, without another search. The band is
  // read from each button's own text ("9:30 AM", or "9:30 a. m." in Spanish), so the markup
  // stays as small as it is.
  function bandOf(text) {
    var m = /(\d+):(\d+)\s*([ap])\.?\s*m/i.exec(text);
    if (!m) return "";
    var h = +m[1] % 12 + (m[3].toLowerCase() === "p" ? 12 : 0);
    return h < 12 ? "morning" : h < 17 ? "afternoon" : "evening";
  }
  var filter = document.querySelector("[data-filter]");
  if (filter) {
    filter.hidden = false;
    filter.addEventListener("change", function (ev) {
      var band = ev.target.value;
      var buttons = document.querySelectorAll(".times button");
      for (var k = 0; k < buttons.length; k++) {
        buttons[k].hidden = band !== "" && bandOf(buttons[k].textContent) !== band;
      }
      var groups = document.querySelectorAll(".times, .day");
      for (var g = groups.length - 1; g >= 0; g--) {
        var any = !!groups[g].querySelector("button:not([hidden])");
        groups[g].hidden = !any;
        var head = groups[g].previousElementSibling;
        if (groups[g].className === "times" && head && head.tagName === "H3") head.hidden = !any;
      }
    });
  }
})();
