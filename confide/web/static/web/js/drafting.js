// The drafting page: selecting a drafted sentence (click or keyboard focus) marks the utterances it rests on.
// Without script each sentence is a link to its first utterance and :target marks it. No inline script (strict CSP).
(function () {
  "use strict";

  function linkOf(node) {
    return node && node.closest ? node.closest(".evidence-link[data-evidence]") : null;
  }

  function show(link) {
    var ids = (link.getAttribute("data-evidence") || "").split(/\s+/).filter(Boolean);
    document.querySelectorAll(".utterance.is-evidence").forEach(function (u) { u.classList.remove("is-evidence"); });
    document.querySelectorAll(".evidence-link.is-active").forEach(function (l) { l.classList.remove("is-active"); });
    link.classList.add("is-active");
    var marked = ids.map(function (id) { return document.getElementById(id); }).filter(Boolean);
    marked.forEach(function (u) { u.classList.add("is-evidence"); });
    if (marked.length) {
      // Scroll the transcript panel only, so the sentence being read stays where it is.
      var list = marked[0].parentElement;
      if (list && list.scrollHeight > list.clientHeight) {
        list.scrollTop = Math.max(0, marked[0].offsetTop - list.clientHeight / 3);
      }
    }
    var status = document.getElementById("evidence-status");
    if (status) {
      status.textContent = "Evidence: " + marked.map(function (u) {
        var speaker = u.querySelector("strong");
        var text = u.querySelector(".utterance-text");
        return (speaker ? speaker.textContent + ": " : "") + (text ? text.textContent : "");
      }).join(" … ");
    }
  }

  document.addEventListener("click", function (event) {
    var link = linkOf(event.target);
    if (!link) { return; }
    event.preventDefault();
    show(link);
  });

  document.addEventListener("focusin", function (event) {
    var link = linkOf(event.target);
    if (link) { show(link); }
  });

  // A refusal (422: consent missing, a malformed line) is a page to show, not an htmx error to drop.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    var ours = target && (target.id === "draft-workspace" || target.id === "private-draft-save");
    if (ours && event.detail.xhr.status >= 400 && event.detail.xhr.status < 500) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // After the draft arrives, move focus to its heading so keyboard and screen-reader users start there.
  document.addEventListener("htmx:afterSwap", function (event) {
    var source = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (!source || source.id !== "draft-request") { return; }
    var heading = document.getElementById("draft-result-title") || document.getElementById("draft-request-title");
    if (heading) { heading.focus(); }
  });
})();
