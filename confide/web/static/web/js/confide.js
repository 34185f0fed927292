// Confide's only script besides htmx. No inline script anywhere: the Content-Security-Policy stays 'self'.
// Everything here is an improvement on pages that work without it: the server signs idle sessions out, saves the
// note editor's draft on "Save draft", and keeps typed text across a format switch whether or not this runs.
(function () {
  "use strict";
  var body = document.body;
  var REMAINING_HEADER = "X-Confide-Idle-Remaining";
  var AUTOSAVE_MAX_WAIT = 30000; // typing without a pause still saves at least this often

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // A form's fields as one string, to tell whether anything changed since it was saved or shown.
  function snapshot(form) {
    var parts = [];
    new FormData(form).forEach(function (value, key) {
      if (key === "csrfmiddlewaretoken" || key === "note" || key === "new_format") { return; }
      parts.push(encodeURIComponent(key) + "=" + encodeURIComponent(String(value)));
    });
    return parts.join("&");
  }

  // A request the guard turned away (signed out: a redirect to sign-in, which fetch is told not to follow).
  function signedOut(response) {
    return response.type === "opaqueredirect" || response.status === 401;
  }

  // --- Idle sign-out -------------------------------------------------------------------------------------------
  // The server ends a session after IDLE_TIMEOUT_MINUTES without a request the user made (shared clinic
  // workstations) and says on every response how long is left. A little before, this asks "Stay signed in?";
  // when the time is up it takes the screen away too, so an unattended chart does not stay on display.
  var idle = (function () {
    var dialog = document.getElementById("idle-warning");
    var signInUrl = body.getAttribute("data-idle-url");
    if (!dialog || !signInUrl || typeof dialog.showModal !== "function") {
      return { arm: function () {}, touched: function () {}, leaving: function () { return false; } };
    }
    var keepAliveUrl = dialog.getAttribute("data-keep-alive-url");
    var warning = parseFloat(dialog.getAttribute("data-warning")) || 60;
    var activityEvery = (parseFloat(dialog.getAttribute("data-activity-every")) || 60) * 1000;
    var countdown = dialog.querySelector("[data-idle-countdown]");
    var warnTimer = null;
    var endTimer = null;
    var tick = null;
    var deadline = 0;
    var lastSent = Date.now();
    var leaving = false;
    var returnFocus = null;

    function clear() {
      window.clearTimeout(warnTimer);
      window.clearTimeout(endTimer);
    }

    function arm(remaining) {
      if (!isFinite(remaining) || leaving) { return; }
      clear();
      deadline = Date.now() + remaining * 1000;
      warnTimer = window.setTimeout(warn, Math.max(0, remaining - warning) * 1000);
      endTimer = window.setTimeout(expire, remaining * 1000 + 1500);
      if (dialog.open && remaining > warning + 1) { dialog.close("renewed"); }
    }

    function leave() {
      leaving = true;
      clear();
      var next = window.location.pathname + window.location.search;
      window.location.assign(signInUrl + "&next=" + encodeURIComponent(next));
    }

    // GET is sent as a background request: asking how long is left must not extend the session. POST is the user.
    function ask(method) {
      var headers = { "X-Requested-With": "fetch" };
      if (method === "GET") { headers["X-Confide-Background"] = "1"; } else { headers["X-CSRFToken"] = csrfToken(); }
      if (method === "POST") { lastSent = Date.now(); }
      return window.fetch(keepAliveUrl, { method: method, headers: headers, credentials: "same-origin", redirect: "manual" })
        .then(function (response) {
          if (signedOut(response)) { leave(); return null; }
          return response.ok ? response.json() : null;
        })
        .then(function (data) { if (data) { arm(data.remaining); } return data; })
        .catch(function () { return null; });
    }

    function showCountdown() {
      var seconds = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      if (countdown) { countdown.textContent = seconds + (seconds === 1 ? " second" : " seconds"); }
    }

    function warn() {
      ask("GET").then(function (data) {
        // Another tab may have kept the session in use: then arm() has moved the deadline and there is no warning.
        if (!data || data.remaining > warning + 1 || dialog.open || leaving) { return; }
        autosave.flush();
        returnFocus = document.activeElement;
        showCountdown();
        tick = window.setInterval(showCountdown, 1000);
        dialog.showModal();
      });
    }

    function expire() {
      ask("GET").then(function (data) {
        if (data && data.remaining <= 0) { leave(); }
      });
    }

    // Closing the warning in any way (the button, Escape) means someone is here.
    dialog.addEventListener("close", function () {
      window.clearInterval(tick);
      if (dialog.returnValue !== "renewed") { ask("POST"); }
      dialog.returnValue = "";
      if (returnFocus && returnFocus.focus) { returnFocus.focus(); }
      returnFocus = null;
    });

    // Typing anywhere is activity (the note editor's autosave is too); moving the mouse is not.
    function touched() {
      if (Date.now() - lastSent >= activityEvery) { ask("POST"); }
    }

    // Every htmx response, background polls included, carries the server's own count of what is left.
    document.addEventListener("htmx:afterRequest", function (event) {
      var xhr = event.detail && event.detail.xhr;
      var remaining = xhr ? xhr.getResponseHeader(REMAINING_HEADER) : null;
      if (remaining !== null) { arm(parseFloat(remaining)); }
    });

    // Timers in a hidden tab run late; on coming back, ask the server rather than trust them.
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible" && !leaving) { ask("GET"); }
    });

    arm(parseFloat(dialog.getAttribute("data-remaining")));
    return {
      arm: arm,
      touched: touched,
      sent: function () { lastSent = Date.now(); },
      leaving: function () { return leaving; },
    };
  })();

  // --- The note editor: autosave, and asking before unsaved text is left behind --------------------------------
  var autosave = (function () {
    var saved = null; // the editor's fields as last saved (or as the page showed them)
    var sending = null;
    var timer = null;
    var firstChange = 0;
    var inflight = null;
    var again = false;
    var submitting = false;

    function editor() { return document.getElementById("note-editor"); }

    function changed() {
      var form = editor();
      return !!form && saved !== null && snapshot(form) !== saved;
    }

    function status(text) {
      var form = editor();
      var place = form && form.querySelector("[data-autosave-status]");
      if (place) { place.textContent = text; }
    }

    function problem(text) {
      var form = editor();
      var place = form && form.querySelector("[data-autosave-error]");
      if (!place) { return; }
      place.textContent = text || "";
      place.hidden = !text;
    }

    // The first save creates the draft: from then on the editor (and "Save draft") works on that note.
    function adopt(form, data) {
      var field = form.querySelector("input[name=note]");
      if (field) { field.value = String(data.note); }
      if (form.getAttribute("hx-post") !== data.save_url) {
        form.setAttribute("hx-post", data.save_url);
        form.setAttribute("action", data.save_url);
        if (window.htmx) { window.htmx.process(form); }
      }
      forgetNewNoteUrl(form);
    }

    // After a reload (or signing in again after idle sign-out) the page should open this draft, not a blank note.
    function forgetNewNoteUrl(form) {
      var page = form.getAttribute("data-session-url");
      var field = form.querySelector("input[name=note]");
      if (page && field && field.value && window.location.pathname === page && window.location.search) {
        window.history.replaceState(window.history.state, "", page);
      }
    }

    function save() {
      window.clearTimeout(timer);
      timer = null;
      firstChange = 0;
      if (inflight) { again = true; return inflight; }
      var form = editor();
      if (!form || !changed()) { return Promise.resolve(); }
      var snap = snapshot(form);
      idle.sent();
      status("Saving…");
      inflight = window.fetch(form.getAttribute("data-autosave-url"), {
        method: "POST",
        body: new FormData(form),
        headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" },
        credentials: "same-origin",
        redirect: "manual",
      }).then(function (response) {
        if (signedOut(response)) {
          status("");
          problem("You were signed out, so your latest changes are not saved. Copy them before you leave this page, then sign in again.");
          return null;
        }
        var remaining = response.headers.get(REMAINING_HEADER);
        if (remaining !== null) { idle.arm(parseFloat(remaining)); }
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (!response.ok) {
            status("");
            problem("Not saved: " + (data.detail || "the draft was refused") + ".");
            return null;
          }
          if (editor() === form) { adopt(form, data); }
          saved = snap;
          problem("");
          status("Draft saved automatically at " + data.saved_at);
          return data;
        });
      }).catch(function () {
        status("");
        problem("Not saved: the server could not be reached. Keep this page open; saving will be tried again.");
        timer = window.setTimeout(save, 10000);
      }).then(function (result) {
        inflight = null;
        if (again || changed()) { again = false; schedule(); }
        return result;
      });
      return inflight;
    }

    function schedule() {
      var form = editor();
      window.clearTimeout(timer);
      timer = null;
      if (!form || !changed()) { return; }
      var now = Date.now();
      if (!firstChange) { firstChange = now; }
      var delay = parseInt(form.getAttribute("data-autosave-delay"), 10) || 2000;
      timer = window.setTimeout(save, Math.max(0, Math.min(delay, AUTOSAVE_MAX_WAIT - (now - firstChange))));
    }

    document.addEventListener("input", function (event) {
      idle.touched();
      var form = editor();
      var field = event.target;
      if (form && form.contains(field) && !field.hasAttribute("data-autosave-ignore")) { schedule(); }
    });

    // A save or format switch the user asks for while an autosave is creating the draft waits for it, so the
    // session gets one draft, and is then sent to that draft (the form's target may just have changed).
    document.addEventListener("htmx:confirm", function (event) {
      var form = editor();
      var source = event.detail.elt;
      if (!form || !(source === form || form.contains(source))) { return; }
      window.clearTimeout(timer);
      timer = null;
      firstChange = 0;
      if (!inflight) { return; }
      event.preventDefault();
      var submitter = event.detail.triggeringEvent && event.detail.triggeringEvent.submitter;
      inflight.then(function () {
        if (source === form) {
          if (submitter && form.contains(submitter)) { form.requestSubmit(submitter); } else { form.requestSubmit(); }
        } else {
          event.detail.issueRequest(true);
        }
      });
    });

    document.addEventListener("submit", function () { submitting = true; }, true);

    document.addEventListener("htmx:beforeRequest", function (event) {
      var form = editor();
      if (form && (event.detail.elt === form || form.contains(event.detail.elt))) { sending = snapshot(form); }
    });

    document.addEventListener("htmx:beforeOnLoad", function (event) {
      var xhr = event.detail.xhr;
      if (sending !== null && xhr && xhr.status >= 200 && xhr.status < 300) { saved = sending; }
      sending = null;
    });

    // A refused save (422) comes back as the editor with the text and the reason: show it rather than drop it.
    document.addEventListener("htmx:beforeSwap", function (event) {
      var target = event.detail.target;
      var status = event.detail.xhr.status;
      if (target && target.id === "note-editor" && status >= 400 && status < 500 && status !== 403 && status !== 404) {
        event.detail.shouldSwap = true;
        event.detail.isError = false;
      }
    });

    document.addEventListener("htmx:afterRequest", function () { submitting = false; });

    // A freshly swapped-in editor shows what the server holds; a refused one still holds unsaved text.
    document.addEventListener("htmx:load", function (event) {
      var form = editor();
      // htmx wires a swapped-in editor's controls (the format picker) only when it settles; data-ready says it has.
      if (form && (event.detail.elt === form || event.detail.elt.contains(form))) { form.setAttribute("data-ready", ""); }
      if (!form || event.detail.elt !== form) { return; }
      if (!form.querySelector(".callout-danger[role=alert]:not([data-autosave-error])")) { saved = snapshot(form); }
      forgetNewNoteUrl(form);
    });

    // Other forms whose edits would be lost on leaving (the drafting page's "Use this draft") carry
    // data-guard-unsaved: they are compared with what the page showed.
    var shown = new WeakMap();
    function remember(root) {
      if (!root || !root.querySelectorAll) { return; }
      var forms = Array.prototype.slice.call(root.querySelectorAll("form[data-guard-unsaved]"));
      if (root.matches && root.matches("form[data-guard-unsaved]")) { forms.push(root); }
      forms.forEach(function (form) { shown.set(form, snapshot(form)); });
    }
    function editedElsewhere() {
      return Array.prototype.some.call(document.querySelectorAll("form[data-guard-unsaved]"), function (form) {
        return shown.has(form) && shown.get(form) !== snapshot(form);
      });
    }
    document.addEventListener("htmx:load", function (event) { remember(event.detail.elt); });
    remember(document);

    window.addEventListener("beforeunload", function (event) {
      if (submitting || idle.leaving()) { return; }
      if (changed() || inflight || editedElsewhere()) {
        event.preventDefault();
        event.returnValue = "";
      }
    });

    // Leaving anyway (or closing the tab): one last save the browser sends even as the page goes. Not while the
    // first autosave is still creating the draft, which would make a second one.
    window.addEventListener("pagehide", function () {
      var form = editor();
      if (form && changed() && !inflight && !submitting && navigator.sendBeacon) {
        navigator.sendBeacon(form.getAttribute("data-autosave-url"), new FormData(form));
      }
    });

    if (editor()) { saved = snapshot(editor()); forgetNewNoteUrl(editor()); }
    return { flush: function () { return changed() ? save() : Promise.resolve(); } };
  })();

  // Buttons that deserve a second thought carry data-confirm; without script the server still asks.
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-confirm]") : null;
    if (target && !window.confirm(target.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
})();
