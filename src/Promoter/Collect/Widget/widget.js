/* Promoter survey widget. One tag on the customer's site:
   <script src="https://promoter.example/widget.js" data-survey="SURVEY_ID" data-email="…" data-user-id="…"
           data-name="…" data-properties='{"plan":"pro"}' data-lang="sv" async></script>
   Opens the survey in an isolated iframe in a corner (left on right-to-left pages), at most once per visitor and
   throttle period, and only on origins the survey allows. Sets no cookies. */
(function () {
  "use strict";
  var tag = document.currentScript;
  if (!tag || !tag.dataset.survey) { return; }
  var base = new URL(tag.src).origin;
  var survey = tag.dataset.survey;
  var key = "promoter:" + survey;
  try {
    var until = Number(window.localStorage.getItem(key) || 0);
    if (until > Date.now()) { return; }
  } catch (e) { /* storage blocked: ask the server, which throttles anyway */ }

  var params = new URLSearchParams();
  if (tag.dataset.email) { params.set("email", tag.dataset.email); }
  if (tag.dataset.userId) { params.set("uid", tag.dataset.userId); }
  if (tag.dataset.name) { params.set("name", tag.dataset.name); }
  if (tag.dataset.lang) { params.set("lang", tag.dataset.lang); }
  try {
    var props = JSON.parse(tag.dataset.properties || "{}");
    Object.keys(props).forEach(function (k) { params.set("p." + k, String(props[k])); });
  } catch (e) { /* ignore malformed properties */ }

  function remember(days) {
    try { window.localStorage.setItem(key, String(Date.now() + days * 86400000)); } catch (e) { /* ignore */ }
  }

  fetch(base + "/widget/" + encodeURIComponent(survey) + "/session?" + params.toString(), { credentials: "omit", mode: "cors" })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (session) {
      if (!session || !session.show) { if (session) { remember(1); } return; }
      var frame = document.createElement("iframe");
      frame.src = session.url;
      frame.title = "Survey";
      frame.setAttribute("data-promoter-widget", survey);
      var rtl = session.direction === "rtl";
      frame.style.cssText = "position:fixed;bottom:16px;" + (rtl ? "left" : "right") + ":16px;width:min(420px,calc(100vw - 32px));height:360px;" +
        "border:0;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.25);z-index:2147483647;background:#fff";
      var close = document.createElement("button");
      close.type = "button";
      close.textContent = "×";
      close.setAttribute("aria-label", "Close");
      close.style.cssText = "position:fixed;bottom:" + (16 + 360 - 28) + "px;" + (rtl ? "left" : "right") + ":20px;z-index:2147483647;" +
        "border:0;background:transparent;font-size:22px;cursor:pointer";
      close.onclick = function () { frame.remove(); close.remove(); remember(30); };
      window.addEventListener("message", function (event) {
        if (event.origin !== base || event.source !== frame.contentWindow || !event.data) { return; }
        if (event.data.type === "promoter:height") { frame.style.height = Math.min(event.data.height, window.innerHeight - 32) + "px"; }
        if (event.data.type === "promoter:completed") { remember(90); }
      });
      document.body.appendChild(frame);
      document.body.appendChild(close);
    })
    .catch(function () { /* the widget never breaks the host page */ });
})();
