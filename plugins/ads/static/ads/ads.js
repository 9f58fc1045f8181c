/* Smart Médias ENT ads: fills [data-ent-ad] boxes from the reader's browser (docs/ads.md).
 *
 * No cookie and nothing personal: a random reader id kept in this site's own localStorage,
 * renewed every week (none when storage is refused), lets frequency caps work. An impression
 * is viewable by the MRC's rule (half of its pixels in view for one continuous second, the
 * tab visible), measured with IntersectionObserver and reported once with sendBeacon.
 * HTML5 creatives run in a sandboxed iframe without allow-same-origin: they cannot reach
 * this page. */
(function () {
  "use strict";

  var WEEK = 7 * 24 * 3600 * 1000;
  var VIEWABLE_MS = 1000;
  var SANDBOX = "allow-scripts allow-popups allow-popups-to-escape-sandbox";

  function readerId() {
    try {
      var store = window.localStorage;
      var key = "ent-ad-reader";
      var week = Math.floor(Date.now() / WEEK);
      var kept = JSON.parse(store.getItem(key) || "null");
      if (kept && kept.week === week && typeof kept.id === "string") {
        return kept.id;
      }
      var bytes = new Uint8Array(12);
      window.crypto.getRandomValues(bytes);
      var id = Array.prototype.map.call(bytes, function (b) {
        return (b + 256).toString(16).slice(1);
      }).join("");
      store.setItem(key, JSON.stringify({ id: id, week: week }));
      return id;
    } catch (refused) {
      return null;
    }
  }

  function chooseSize(box) {
    var sizes = (box.dataset.sizes || "").split(/\s+/).filter(Boolean);
    var room = (box.parentElement && box.parentElement.clientWidth) || window.innerWidth;
    for (var i = 0; i < sizes.length; i++) {
      if (parseInt(sizes[i], 10) <= room) {
        return sizes[i];
      }
    }
    return "";
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  function sized(node, ad) {
    if (ad.width && ad.height) {
      node.width = ad.width;
      node.height = ad.height;
    }
    return node;
  }

  function link(href) {
    var a = element("a", "ent-ad__link");
    a.href = href;
    a.target = "_blank";
    a.rel = "sponsored noopener";
    return a;
  }

  function render(box, ad, base) {
    var click = new URL(ad.click, base).href;
    var shown;
    if (ad.format === "image") {
      shown = link(click);
      var img = sized(element("img", "ent-ad__image"), ad);
      img.src = new URL(ad.src, base).href;
      img.alt = ad.alt || "";
      shown.appendChild(img);
    } else if (ad.format === "html5") {
      var src = new URL(ad.src, base);
      src.searchParams.set("clickTag", click);
      shown = sized(element("iframe", "ent-ad__frame"), ad);
      shown.setAttribute("sandbox", SANDBOX);
      shown.setAttribute("referrerpolicy", "no-referrer");
      shown.setAttribute("scrolling", "no");
      shown.title = box.dataset.label || "Advertisement";
      shown.src = src.href;
    } else {
      shown = link(click);
      shown.classList.add("ent-ad__native");
      shown.appendChild(element("strong", "ent-ad__headline", ad.headline));
      if (ad.body) {
        shown.appendChild(element("span", "ent-ad__body", ad.body));
      }
    }
    box.textContent = "";
    box.appendChild(element("p", "ent-ad__label", box.dataset.label || "Advertisement"));
    box.appendChild(shown);
    box.classList.add("ent-ad--" + ad.format);
    box.hidden = false;
    return shown;
  }

  function report(ad, base) {
    var url = new URL(ad.beacon, base).href;
    if (navigator.sendBeacon && navigator.sendBeacon(url, ad.token)) {
      return;
    }
    fetch(url, { method: "POST", body: ad.token, keepalive: true, credentials: "omit" });
  }

  function watch(target, ad, base) {
    if (!("IntersectionObserver" in window)) {
      return; // cannot be measured: never reported as viewable
    }
    var timer = null;
    var inView = false;
    var done = false;
    function stop() {
      if (timer !== null) {
        clearTimeout(timer);
        timer = null;
      }
    }
    function start() {
      if (timer === null && !done && inView && document.visibilityState === "visible") {
        timer = setTimeout(function () {
          timer = null;
          done = true;
          observer.disconnect();
          document.removeEventListener("visibilitychange", onVisibility);
          report(ad, base);
        }, VIEWABLE_MS);
      }
    }
    function onVisibility() {
      if (document.visibilityState === "visible") {
        start();
      } else {
        stop();
      }
    }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        inView = entry.isIntersecting && entry.intersectionRatio >= 0.5;
        if (inView) {
          start();
        } else {
          stop();
        }
      });
    }, { threshold: [0, 0.5] });
    observer.observe(target);
    document.addEventListener("visibilitychange", onVisibility);
  }

  function fill(box, reader) {
    box.dataset.entAdState = "asked";
    var base = new URL(box.dataset.endpoint || "/ads/d", document.baseURI);
    var query = base.searchParams;
    query.set("p", box.dataset.entAd);
    var size = chooseSize(box);
    if (size) {
      query.set("s", size);
    }
    if (reader) {
      query.set("r", reader);
    }
    ["sector", "tags", "lang"].forEach(function (name) {
      if (box.dataset[name]) {
        query.set(name, box.dataset[name]);
      }
    });
    fetch(base.href, { credentials: "omit", cache: "no-store" })
      .then(function (response) {
        return response.status === 200 ? response.json() : null;
      })
      .then(function (ad) {
        if (!ad) {
          box.dataset.entAdState = "empty";
          return;
        }
        watch(render(box, ad, base), ad, base);
        box.dataset.entAdState = "shown";
      })
      .catch(function () {
        box.dataset.entAdState = "empty";
      });
  }

  function start() {
    var boxes = document.querySelectorAll("[data-ent-ad]:not([data-ent-ad-state])");
    if (!boxes.length) {
      return;
    }
    var reader = readerId();
    Array.prototype.forEach.call(boxes, function (box) {
      fill(box, reader);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
