// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Facet checkboxes apply at once instead of waiting for the submit button.
  document.querySelectorAll("form.filters .facet input[type=checkbox]").forEach(function (box) {
    box.addEventListener("change", function () {
      var page = box.form.querySelector("input[name=page]");
      if (page) { page.remove(); }
      box.form.submit();
    });
  });

  // A statement linked from elsewhere can cover several marked segments
  // (quotes nest); outline all of them, not only the first.
  function markTarget() {
    document.querySelectorAll("mark.is-target").forEach(function (el) { el.classList.remove("is-target"); });
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id) { return; }
    document.querySelectorAll("mark[data-span]").forEach(function (el) {
      if (el.getAttribute("data-span") === id) { el.classList.add("is-target"); }
    });
  }
  window.addEventListener("hashchange", markTarget);
  markTarget();
})();
