// certreport workbench: after htmx puts a page image in the viewer, scroll the viewer (not
// the window) so that the highlighted box is in sight. No other script: the rest is htmx.
document.addEventListener("htmx:afterSwap", function (ev) {
  var root = ev.target;
  var hl = root.querySelector && root.querySelector("#highlight");
  var img = root.querySelector && root.querySelector("#page-image");
  var side = root.closest && root.closest(".side");
  if (!hl || !img || !side) return;
  var scroll = function () {
    var box = hl.getBoundingClientRect(), view = side.getBoundingClientRect();
    side.scrollTop += (box.top - view.top) - view.height / 3;
  };
  if (img.complete) scroll(); else img.addEventListener("load", scroll, {once: true});
});
