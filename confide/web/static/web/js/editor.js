// The note editor's checklist filter (web/session.html). Everything else in the editor works without script:
// parts are <details>, and the risk and mental-status reveals are CSS. No inline script (strict CSP).
(function () {
  "use strict";

  function words(text) {
    return text.toLowerCase().split(/\s+/).filter(Boolean);
  }

  function filter(input) {
    var form = input.form;
    var list = form && form.querySelector("#intervention-list");
    if (!list) { return; }
    var wanted = words(input.value);
    var items = list.querySelectorAll("li[data-terms]");
    var shown = 0;
    items.forEach(function (item) {
      var terms = item.getAttribute("data-terms") || "";
      var box = item.querySelector("input[type=checkbox]");
      var match = wanted.every(function (w) { return terms.indexOf(w) !== -1; });
      var keep = match || (box && box.checked); // a chosen intervention never disappears from view
      item.hidden = !keep;
      if (keep) { shown += 1; }
    });
    var count = form.querySelector("#intervention-filter-count");
    if (count) {
      count.textContent = wanted.length ? shown + " of " + items.length + " shown" : "";
    }
  }

  // Shown only with script: without it the whole list is there to read.
  function enable(root) {
    var scope = root && root.querySelectorAll ? root : document;
    scope.querySelectorAll("[data-intervention-filter]").forEach(function (box) {
      box.hidden = false;
      var input = box.querySelector("input[type=search]");
      if (input && input.value) { filter(input); }
    });
  }

  document.addEventListener("input", function (event) {
    var target = event.target;
    if (target && target.id === "intervention-filter") { filter(target); return; }
    // Once the clinician writes in the editor, autosave makes a draft and "start from my last note" would be
    // refused (and would leave this page): stop offering it.
    var editor = document.getElementById("note-editor");
    if (editor && editor.contains(target)) {
      document.querySelectorAll(".start-from-last").forEach(function (card) { card.hidden = true; });
    }
  });

  // Enter in the filter would submit the editor (its first button switches format): keep it in the list instead.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target && event.target.id === "intervention-filter") {
      event.preventDefault();
      var first = event.target.form && event.target.form.querySelector("#intervention-list li:not([hidden]) input");
      if (first) { first.focus(); }
    }
  });

  document.addEventListener("htmx:load", function (event) { enable(event.detail.elt); });
  enable(document);
})();
