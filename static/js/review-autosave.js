/* Say "saving" while a score item's autosave is in flight, and say so plainly when a save failed:
   next to the item, and in an alert in the save bar that counts the items not saved, so a failure
   far up the page is not missed. Leaving the page with unsaved items asks first. The texts come
   from data attributes on #autosave-messages (translated server-side). */
(function () {
  "use strict";
  var messages = document.getElementById("autosave-messages");
  function text(name) { return messages ? messages.getAttribute("data-" + name) || "" : ""; }
  var failedItems = {};

  function itemOf(evt) {
    var elt = evt.detail && evt.detail.elt;
    return elt && elt.closest ? elt.closest(".score-item") : null;
  }
  function statusOf(item) { return item && item.querySelector(".item-status"); }

  function refreshAlert() {
    var alert = document.getElementById("autosave-alert");
    if (!alert) { return; }
    var count = Object.keys(failedItems).length;
    if (count === 0) {
      alert.hidden = true;
      alert.textContent = "";
      return;
    }
    alert.textContent = text("unsaved").replace("%(count)s", String(count));
    alert.hidden = false;
  }
  function markFailed(item, message) {
    if (!item) { return; }
    failedItems[item.id] = true;
    item.classList.add("has-save-error");
    var status = statusOf(item);
    if (status && message) {
      status.textContent = "";
      var span = document.createElement("span");
      span.className = "is-error";
      span.textContent = message;
      status.appendChild(span);
    }
    refreshAlert();
  }
  function markSaved(item) {
    if (!item) { return; }
    delete failedItems[item.id];
    item.classList.remove("has-save-error");
    refreshAlert();
  }

  document.body.addEventListener("htmx:beforeRequest", function (evt) {
    var status = statusOf(itemOf(evt));
    if (status) { status.textContent = text("saving"); }
  });
  document.body.addEventListener("htmx:responseError", function (evt) {
    var code = evt.detail.xhr ? evt.detail.xhr.status : 0;
    markFailed(itemOf(evt), code === 403 || code === 404 ? text("failed") : text("failed-server"));
  });
  document.body.addEventListener("htmx:sendError", function (evt) {
    markFailed(itemOf(evt), text("failed-network"));
  });
  document.body.addEventListener("htmx:timeout", function (evt) {
    markFailed(itemOf(evt), text("failed-network"));
  });
  document.body.addEventListener("htmx:afterSwap", function (evt) {
    var item = itemOf(evt);
    var status = statusOf(item);
    if (!status) { return; }
    // The server answers a refused save (a bad value, a locked sheet) with its reason in the line.
    if (status.querySelector(".is-error")) { markFailed(item, ""); } else { markSaved(item); }
  });
  window.addEventListener("beforeunload", function (evt) {
    if (Object.keys(failedItems).length > 0) {
      evt.preventDefault();
      evt.returnValue = text("unsaved-leave");
      return evt.returnValue;
    }
  });
})();
