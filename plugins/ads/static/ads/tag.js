/* Smart Médias ENT ads, for sites hosted elsewhere (docs/ads.md, "Tags for external sites"):
 *   <script async src="https://ent.example/ads/tag.js" data-ent-placement="<id>"
 *           data-size="300x250"></script>
 * puts an iframe of ours where the script stands. The ad runs in our origin, not the site's:
 * it reads nothing of the page, and the page nothing of it. */
(function () {
  "use strict";
  var scripts = document.querySelectorAll("script[data-ent-placement]:not([data-ent-done])");
  Array.prototype.forEach.call(scripts, function (script) {
    script.setAttribute("data-ent-done", "1");
    var origin = new URL(script.src, document.baseURI).origin;
    var size = script.getAttribute("data-size") || "300x250";
    var parts = size.split("x");
    var frame = document.createElement("iframe");
    var src = new URL("/ads/frame/" + encodeURIComponent(script.getAttribute("data-ent-placement")), origin);
    src.searchParams.set("size", size);
    if (document.documentElement.lang) {
      src.searchParams.set("lang", document.documentElement.lang.slice(0, 2));
    }
    frame.src = src.href;
    frame.width = parts[0];
    frame.height = parts[1];
    frame.title = script.getAttribute("data-title") || "Advertisement";
    frame.setAttribute("scrolling", "no");
    frame.setAttribute("frameborder", "0");
    frame.setAttribute("loading", "eager");
    frame.style.border = "0";
    frame.style.overflow = "hidden";
    script.parentNode.insertBefore(frame, script);
  });
})();
