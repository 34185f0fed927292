// Release of information: say that a package is being built while the server builds it. The forms post as usual
// without this script (the browser shows its own progress); with it, the button says "Building the package…", the
// spinner turns (the .htmx-indicator inside the form, shown by the same .htmx-request class htmx uses) and a
// role="status" region tells screen readers. A second click does not post the form twice.
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-release-form]") || event.defaultPrevented) { return; }
    if (form.classList.contains("htmx-request")) { event.preventDefault(); return; }
    var button = event.submitter || form.querySelector("button[type=submit]");
    var text = (button && button.getAttribute("data-busy-text")) || "Building the package…";
    form.classList.add("htmx-request");
    form.setAttribute("aria-busy", "true");
    var status = form.querySelector("[data-busy-status]");
    if (status) { status.textContent = text; }
    if (button) {
      button.setAttribute("data-idle-text", button.textContent);
      // After this event the browser has read the button's name and value for the request.
      window.setTimeout(function () { button.disabled = true; button.textContent = text; }, 0);
    }
  });

  // Coming back with the back button shows the page as it was left: ready to post again.
  window.addEventListener("pageshow", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-release-form].htmx-request"), function (form) {
      form.classList.remove("htmx-request");
      form.removeAttribute("aria-busy");
      var status = form.querySelector("[data-busy-status]");
      if (status) { status.textContent = ""; }
      Array.prototype.forEach.call(form.querySelectorAll("button[data-idle-text]"), function (button) {
        button.disabled = false;
        button.textContent = button.getAttribute("data-idle-text");
      });
    });
  });
})();
