/* Smart Médias ENT — progressive enhancements; every page works without this script. */
(function () {
  "use strict";

  /* The workspace menu folds behind a disclosure button on small screens. */
  var narrow = window.matchMedia("(max-width: 51.99rem)");
  document.querySelectorAll(".sidebar-toggle").forEach(function (button) {
    var sidebar = button.closest(".sidebar");
    function show(expanded) {
      button.setAttribute("aria-expanded", expanded ? "true" : "false");
      sidebar.toggleAttribute("data-collapsed", !expanded);
    }
    button.hidden = false;
    show(!narrow.matches);
    button.addEventListener("click", function () {
      show(button.getAttribute("aria-expanded") !== "true");
    });
    narrow.addEventListener("change", function (event) {
      show(!event.matches);
    });
  });

  /* <form data-confirm="Question?"> asks before sending (removing a member, purging data...). */
  document.addEventListener("submit", function (event) {
    var question = event.target.getAttribute && event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
})();
