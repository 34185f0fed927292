// Confide's only script besides htmx. No inline script anywhere: the Content-Security-Policy stays 'self'.
(function () {
  "use strict";
  var body = document.body;

  // Idle sign-out: the server ends the session after IDLE_TIMEOUT_MINUTES without a request (shared clinic
  // workstations); this only takes the screen away too, so an unattended chart does not stay on display.
  var minutes = parseFloat(body.getAttribute("data-idle-minutes") || "0");
  var signInUrl = body.getAttribute("data-idle-url");
  if (minutes > 0 && signInUrl) {
    var timer = null;
    var restart = function () {
      if (timer) { window.clearTimeout(timer); }
      timer = window.setTimeout(function () { window.location.assign(signInUrl); }, minutes * 60 * 1000 + 5000);
    };
    restart();
    // htmx requests the user started count as activity (the server resets its clock too); background polls do not.
    document.addEventListener("htmx:afterRequest", function (event) {
      var element = event.detail && event.detail.elt;
      if (!element || !element.hasAttribute("data-background")) { restart(); }
    });
  }

  // Buttons that deserve a second thought carry data-confirm; without script the server still asks.
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-confirm]") : null;
    if (target && !window.confirm(target.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
})();
