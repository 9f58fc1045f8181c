// Suggest a workspace's web address from its name until the person edits the address.
(function () {
  "use strict";
  function slugify(text) {
    return text
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 63)
      .replace(/-+$/, "");
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-slug-from]");
    if (!form) return;
    var source = form.querySelector("#" + form.getAttribute("data-slug-from"));
    var slug = form.querySelector("#slug");
    if (!source || !slug) return;
    var edited = slug.value !== "" && slug.value !== slugify(source.value);
    slug.addEventListener("input", function () { edited = slug.value !== ""; });
    source.addEventListener("input", function () {
      if (!edited) slug.value = slugify(source.value);
    });
  });
})();

// The application form: show only the legal identifiers of the chosen kind of organisation
// (without JavaScript every group shows; the server checks only the chosen kind's).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-kind-from]");
    if (!form) return;
    var kind = form.querySelector("#" + form.getAttribute("data-kind-from"));
    var groups = form.querySelectorAll("[data-identifiers-for]");
    if (!kind || !groups.length) return;
    function update() {
      groups.forEach(function (group) {
        var mine = group.getAttribute("data-identifiers-for") === kind.value;
        group.hidden = !mine;
        var heading = group.querySelector("h3");
        if (heading) heading.hidden = true;
      });
    }
    kind.addEventListener("change", update);
    update();
  });
})();
