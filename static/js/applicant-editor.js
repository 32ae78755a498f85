/* The application editor: a live character count for limited text areas (counted as the server
   counts, one per character) and "saving…" while an autosave is in flight. Loaded as a file, not
   inline, so the Content-Security-Policy can forbid inline script. */
(function () {
  "use strict";
  document.querySelectorAll("textarea[data-maxchars]").forEach(function (area) {
    var out = document.getElementById(area.id + "-counter");
    if (!out) { return; }
    var max = parseInt(area.getAttribute("data-maxchars"), 10);
    var label = out.querySelector(".visually-hidden");
    function update() {
      var n = Array.from(area.value).length;
      out.textContent = "";
      if (label) { out.appendChild(label); }
      out.appendChild(document.createTextNode(n + " / " + max));
      out.classList.toggle("is-near", n > max * 0.9);
    }
    area.addEventListener("input", update);
    update();
  });
  var form = document.getElementById("draft-form");
  var status = document.getElementById("autosave-status");
  if (form && status) {
    form.addEventListener("htmx:beforeRequest", function () {
      status.textContent = form.getAttribute("data-saving-text") || "";
    });
  }
})();
