// The calendar (web/calendar/calendar.html): after htmx swaps in another day, week or month, move the keyboard
// focus to its heading, so a screen reader announces where the person now is and Tab continues from there
// (otherwise focus falls back to the top of the page when the link that was pressed is replaced).
document.addEventListener("htmx:afterSettle", function (event) {
  var target = event.detail && event.detail.elt;
  var body = document.getElementById("calendar-body");
  if (!body || !target || !(target === body || body.contains(target) || target.id === "calendar-body")) return;
  var title = document.getElementById("cal-title");
  if (title) title.focus();
});
