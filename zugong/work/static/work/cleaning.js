/* 清理对照: after an undo/restore is swapped in by htmx, keep the panes where the reader was and
   bring the toggled edit into view in both panes; the edit numbers in the list scroll the panes
   instead of the page. Without JavaScript the forms post and the page reloads (views.document_edit_toggle). */
(function () {
  "use strict";
  var saved = null;

  function panes() {
    return [document.getElementById("raw-pane"), document.getElementById("cleaned")];
  }

  function reveal(pane, el) {
    if (!pane || !el) return;
    var top = el.getBoundingClientRect().top - pane.getBoundingClientRect().top + pane.scrollTop;
    pane.scrollTop = Math.max(0, top - pane.clientHeight / 3);
    el.classList.add("flash");
    setTimeout(function () { el.classList.remove("flash"); }, 1200);
  }

  function show(id) {
    var p = panes();
    reveal(p[0], document.getElementById("e" + id));
    reveal(p[1], document.getElementById("c" + id));
  }

  document.addEventListener("htmx:beforeSwap", function (evt) {
    if (evt.detail.target && evt.detail.target.id === "clean-body") {
      saved = panes().map(function (p) { return p ? p.scrollTop : 0; });
    }
  });

  document.addEventListener("htmx:afterSwap", function (evt) {
    if (!evt.detail.target || evt.detail.target.id !== "clean-body") return;
    var p = panes();
    if (saved) p.forEach(function (pane, i) { if (pane) pane.scrollTop = saved[i]; });
    var grid = document.querySelector(".clean-grid[data-toggled]");
    if (grid) show(grid.getAttribute("data-toggled"));
  });

  document.addEventListener("click", function (evt) {
    var link = evt.target.closest && evt.target.closest("a.edit-link");
    if (!link) return;
    evt.preventDefault();
    show(link.getAttribute("data-edit"));
  });
})();
