// The listing form shows only the fields of the chosen kind (product, service, booking) and,
// for products, the file only when delivered digitally. Without this script every field shows,
// each with its hint; the server ignores those that do not apply.
(function () {
  "use strict";
  var form = document.querySelector("form[data-listing-form]");
  if (!form) return;
  var kind = form.querySelector("[name=kind]");
  var delivery = form.querySelector("[name=delivery]");
  var onQuote = form.querySelector("[name=on_quote]");
  var price = form.querySelector("[name=price]");
  function update() {
    form.querySelectorAll("[data-for-kind]").forEach(function (block) {
      var kinds = block.getAttribute("data-for-kind").split(" ");
      var show = kinds.indexOf(kind.value) !== -1;
      if (show && block.hasAttribute("data-for-delivery")) {
        show = delivery.value === block.getAttribute("data-for-delivery");
      }
      block.hidden = !show;
    });
    if (onQuote && price) price.disabled = onQuote.checked;
  }
  [kind, delivery, onQuote].forEach(function (input) {
    if (input) input.addEventListener("change", update);
  });
  update();
})();
