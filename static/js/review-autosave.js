/* Say "saving" while a score item's autosave is in flight, and say so plainly when the server
   refuses. The texts come from data attributes on #autosave-messages (translated server-side). */
(function () {
  "use strict";
  var messages = document.getElementById("autosave-messages");
  var saving = messages ? messages.getAttribute("data-saving") : "";
  var failed = messages ? messages.getAttribute("data-failed") : "";
  function statusOf(evt) {
    var item = evt.detail.elt.closest(".score-item");
    return item && item.querySelector(".item-status");
  }
  document.body.addEventListener("htmx:beforeRequest", function (evt) {
    var status = statusOf(evt);
    if (status) { status.textContent = saving; }
  });
  document.body.addEventListener("htmx:responseError", function (evt) {
    var status = statusOf(evt);
    if (status) {
      status.textContent = "";
      var span = document.createElement("span");
      span.className = "is-error";
      span.textContent = failed;
      status.appendChild(span);
    }
  });
})();
