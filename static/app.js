// Doorway's optional enhancements. Every page works without this file; it only adds a live
// hold countdown, a print button and a live filter of the reasons.
(function () {
  "use strict";

  // Hold countdown: <span data-countdown="587">10 minutes</span> (seconds left at render),
  // inside a notice carrying the words in the page's language (data-tick-one, data-tick-many,
  // data-over, data-ended) and a polite live region: the words change once a minute, so a
  // screen reader hears the time left at most once a minute.
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
      var text;
      if (left <= 0) {
        text = words(el, "over");
        var box = el.closest("[data-testid=hold-notice]");
        if (box && !box.getAttribute("data-done")) {
          box.setAttribute("data-done", "1");
          box.className = "alert";
          var p = document.createElement("p");
          p.textContent = words(el, "ended");
          box.appendChild(p);
        }
      } else {
        var minutes = Math.ceil(left / 60);
        text = minutes === 1 ? words(el, "tick-one") : words(el, "tick-many").replace("{n}", minutes);
      }
      if (el.textContent !== text) el.textContent = text;
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

  // "Still looking": the clinic's schedule is slow; look again after a few seconds, as the
  // link does (its answer is kept on the server). Without script the link is there to follow.
  var again = document.querySelector("[data-refresh]");
  if (again) {
    setTimeout(function () { window.location.replace(again.href); }, 1000 * +again.getAttribute("data-refresh"));
  }

  // The desk's day: look for changes every 15 seconds (a booking, a cancel, the EHR's
  // notifications) and show them by reloading; without script the day is reloaded by hand.
  var watched = document.querySelector("[data-watch]");
  if (watched && window.fetch) {
    setInterval(function () {
      fetch(watched.getAttribute("data-watch"), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (v) { if (v && v.changed) window.location.reload(); })
        .catch(function () {});
    }, 15000);
  }

  // The desk's idle sign-out: two minutes before it, say so (the page's words), politely.
  var idle = document.querySelector("[data-idle-warning]");
  if (idle) {
    setTimeout(function () {
      idle.setAttribute("role", "status");
      idle.textContent = idle.getAttribute("data-idle-warning");
      idle.className = "alert";
    }, 13 * 60 * 1000);
  }

  // Reasons filter as the patient types in the search box; without script the box is a plain
  // search form answered by the server.
  var find = document.querySelector("[data-find]");
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  if (find) {
    find.addEventListener("input", function () {
      var words = fold(find.value).split(/\s+/).filter(Boolean);
      var form = document.querySelector("[data-testid=reason-form]");
      var more = form.querySelector("details");
      if (more && words.length) more.open = true;
      var choices = form.querySelectorAll(".choice");
      for (var i = 0; i < choices.length; i++) {
        var input = choices[i].querySelector("input");
        if (input.value === "other") continue;
        var label = fold(choices[i].textContent);
        choices[i].hidden = !words.every(function (w) { return label.indexOf(w) >= 0; });
      }
      var groups = form.querySelectorAll("[role=group]");
      for (var g = 0; g < groups.length; g++) {
        groups[g].hidden = !groups[g].querySelector(".choice:not([hidden])");
      }
    });
  }

  // The kiosk's idle timer: after data-kiosk-warn seconds untouched, a warning counts down to
  // data-kiosk-idle seconds; Continue (or any touch) tells the server the person is still here
  // and starts again; at zero the reset form is posted (the session ends, the held time is let
  // go) and the start replaces this page, so Back cannot bring back what was typed. Without
  // script the server forgets the session after the same 90 seconds.
  var kiosk = document.querySelector("[data-kiosk-idle]");
  if (kiosk && window.fetch) {
    var resetAfter = +kiosk.getAttribute("data-kiosk-idle");
    var warnAfter = +kiosk.getAttribute("data-kiosk-warn");
    var resetForm = kiosk.querySelector("[data-kiosk-reset]");
    var warning = kiosk.querySelector("[data-testid=idle-warning]");
    var count = warning && warning.querySelector("[data-idle-count]");
    var last = Date.now();
    var pinged = Date.now();
    var resetting = false;
    var form = function () { return new URLSearchParams(new FormData(resetForm)); };
    var reset = function () {
      if (resetting) return;
      resetting = true;
      fetch(resetForm.action, { method: "POST", body: form(), credentials: "same-origin", redirect: "manual" })
        .catch(function () {})
        .then(function () { window.location.replace("/kiosk"); });
    };
    // The server's 90 seconds restart with each request: someone typing a while tells it too.
    var ping = function () {
      pinged = Date.now();
      fetch("/kiosk/here", { method: "POST", body: form(), credentials: "same-origin" }).catch(function () {});
    };
    var here = function () {
      last = Date.now();
      if (warning) warning.hidden = true;
      ping();
    };
    ["pointerdown", "keydown", "input"].forEach(function (ev) {
      document.addEventListener(ev, function (e) {
        if (warning && !warning.hidden) return; // the warning asks for Continue
        last = Date.now();
        if (last - pinged > 30000) ping();
      }, true);
    });
    var cont = warning && warning.querySelector("[data-idle-continue]");
    if (cont) cont.addEventListener("click", here);
    setInterval(function () {
      var idleFor = (Date.now() - last) / 1000;
      if (idleFor >= resetAfter) {
        reset();
      } else if (warning && idleFor >= warnAfter) {
        var text = warning.getAttribute("data-text").replace("{n}", Math.ceil(resetAfter - idleFor));
        if (count.textContent !== text) count.textContent = text;
        if (warning.hidden) {
          warning.hidden = false;
          cont.focus();
        }
      }
    }, 250);
  }
})();
