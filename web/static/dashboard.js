// Keeps the dashboard current without a manual reload (issue 5 §2): asks the
// server every 0.4 s whether anything changed and, when it did, fetches
// the figures again. Without JavaScript the page works the same; a reload
// shows the latest figures.
(function () {
  "use strict";
  var root = document.getElementById("dashboard");
  if (!root || !window.fetch) return;
  var version = root.getAttribute("data-versie");
  var year = root.getAttribute("data-jaar");
  var figures = document.getElementById("cijfers");
  var status = document.getElementById("dashboard-status");
  var english = document.documentElement.lang === "en";
  function later() { window.setTimeout(poll, 400); }
  function poll() {
    fetch("/dashboard/versie", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (j) {
        if (!j || String(j.versie) === version) return null;
        var seen = String(j.versie);
        return fetch("/dashboard?jaar=" + encodeURIComponent(year) + "&deel=cijfers" + (english ? "&lang=en" : ""),
                     { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.text() : null; })
          .then(function (html) {
            if (html === null) return;
            figures.innerHTML = html;
            version = seen;
            root.setAttribute("data-versie", seen);
            var time = new Date().toLocaleTimeString(english ? "en-GB" : "nl-NL", { timeZone: "Europe/Amsterdam" });
            status.textContent = (english ? "Updated at " : "Bijgewerkt om ") + time;
          });
      })
      .catch(function () {})
      .then(later, later);
  }
  status.textContent = english ? "The figures update themselves." : "De cijfers werken zichzelf bij.";
  later();
})();
