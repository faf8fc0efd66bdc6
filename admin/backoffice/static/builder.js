/* The form builder, in place: every builder form (add, save field, label, move, duplicate,
   nest, delete, undo) is sent with fetch() and the header X-Requested-With: fetch; the same
   endpoint then answers the builder's fragments (200 text/html, or 422/409 with the errors)
   instead of a redirect. The fragments are swapped by id, the scroll position is kept, the
   focus goes to the control the server names, the result is read out in the aria-live region
   and the preview frame reloads. Rows are reordered by drag and drop (same endpoint as "Lên" /
   "Xuống", with the target position). Without this script every form posts as usual. */
(function () {
  "use strict";

  var builder = document.getElementById("builder");
  if (!builder || !window.fetch || !window.DOMParser) { return; }
  var announcer = document.getElementById("builder-announce");
  var busy = false;

  function announce(text) {
    if (!announcer) { return; }
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 50);
  }

  function clearMessages() {
    var old = document.querySelectorAll("main > .alert, #builder-messages > *");
    for (var i = 0; i < old.length; i++) { old[i].parentNode.removeChild(old[i]); }
  }

  function refreshPreview() {
    var frame = document.getElementById("builder-preview");
    if (!frame) { return; }
    try { frame.contentWindow.location.reload(); } catch (e) { frame.src = frame.src; }
  }

  function swap(html, activeId) {
    var parsed = new DOMParser().parseFromString(html, "text/html");
    var result = parsed.getElementById("builder-result");
    if (!result) { return null; }
    var fragments = parsed.querySelectorAll("[data-fragment]");
    for (var i = 0; i < fragments.length; i++) {
      var current = document.getElementById(fragments[i].id);
      if (current) { current.replaceWith(document.importNode(fragments[i], true)); }
    }
    var target = document.getElementById(result.getAttribute("data-focus") || "") ||
      document.getElementById(activeId || "");
    var message = result.getAttribute("data-message");
    if (!message) {
      var alerts = document.querySelectorAll("#builder-messages .alert");
      message = Array.prototype.map.call(alerts, function (a) { return a.textContent.trim(); }).join(" ");
      if (alerts.length) {
        var box = document.getElementById("builder-messages");
        box.setAttribute("tabindex", "-1");
        target = box;
      }
    }
    if (target) { target.focus({ preventScroll: true }); }
    if (message) { announce(message.replace(/\s+/g, " ")); }
    return result;
  }

  function request(url, options, lockBefore, focusId) {
    if (busy) { return; }
    busy = true;
    var x = window.scrollX, y = window.scrollY;
    var active = document.activeElement && document.activeElement.id;
    clearMessages();
    builder.setAttribute("aria-busy", "true");
    options.credentials = "same-origin";
    options.headers = { "X-Requested-With": "fetch", "Accept": "text/html" };
    window.fetch(url, options).then(function (response) {
      return response.text().then(function (html) { return { response: response, html: html }; });
    }).then(function (answer) {
      var result = swap(answer.html, active);
      window.scrollTo(x, y);
      if (!result) {  // not the builder's answer: signed out (the login page), refused, an error
        if (answer.response.redirected) { window.location.assign(answer.response.url); return; }
        var box = document.getElementById("builder-messages");
        var alert = document.createElement("div");
        alert.className = "alert alert-danger";
        alert.textContent = "Chưa lưu được (mã " + answer.response.status + "). Hãy tải lại trang rồi thử lại.";
        box.appendChild(alert);
        box.setAttribute("tabindex", "-1");
        box.focus({ preventScroll: true });
        announce(alert.textContent);
        return;
      }
      if (focusId && document.getElementById(focusId)) {
        document.getElementById(focusId).focus({ preventScroll: true });
      }
      if (lockBefore !== null && result.getAttribute("data-lock") !== String(lockBefore)) { refreshPreview(); }
    }).catch(function () {
      announce("Không gửi được tới máy chủ; hãy thử lại.");
    }).then(function () {
      busy = false;
      builder.removeAttribute("aria-busy");
    });
  }

  function send(form, submitter) {
    var data = submitter ? new FormData(form, submitter) : new FormData(form);
    var parent = document.getElementById("add-parent");
    if (parent && data.has("keep_parent")) { data.set("keep_parent", parent.value); }
    request(form.action, { method: "POST", body: data }, data.get("lock"), null);
  }

  /* "Sửa «…»" opens the field's panel in place (the address stays shareable) */
  builder.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[data-open]") : null;
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) { return; }
    event.preventDefault();
    var parent = document.getElementById("add-parent");
    var url = new URL(link.href);
    if (parent) { url.searchParams.set("parent", parent.value); }
    if (window.history && window.history.replaceState) { window.history.replaceState(null, "", url.href); }
    request(url.href, { method: "GET" }, null, link.getAttribute("data-open"));
  });

  builder.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.closest("[data-fragment]") || form.method.toLowerCase() !== "post") { return; }
    event.preventDefault();
    send(form, event.submitter);
  });

  /* Escape in a row's label puts the saved label back */
  builder.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && event.target.classList && event.target.classList.contains("row-label")) {
      event.target.value = event.target.defaultValue;
    }
  });

  /* drag and drop among the fields of one group */
  var dragged = null;

  function rowOf(node) { return node && node.closest ? node.closest(".builder-row") : null; }

  builder.addEventListener("dragstart", function (event) {
    var row = rowOf(event.target);
    if (!row || row.getAttribute("draggable") !== "true") { return; }
    dragged = row;
    row.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", row.getAttribute("data-path"));
  });

  builder.addEventListener("dragover", function (event) {
    var row = rowOf(event.target);
    if (!dragged || !row || row === dragged ||
        row.getAttribute("data-parent") !== dragged.getAttribute("data-parent")) { return; }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    row.classList.add("drop-target");
  });

  builder.addEventListener("dragleave", function (event) {
    var row = rowOf(event.target);
    if (row) { row.classList.remove("drop-target"); }
  });

  builder.addEventListener("drop", function (event) {
    var row = rowOf(event.target);
    if (!dragged || !row || row === dragged ||
        row.getAttribute("data-parent") !== dragged.getAttribute("data-parent")) { return; }
    event.preventDefault();
    row.classList.remove("drop-target");
    var form = document.getElementById("drag-move");
    form.elements.path.value = dragged.getAttribute("data-path");
    form.elements.position.value = row.getAttribute("data-index");
    dragged.classList.remove("dragging");
    dragged = null;
    send(form, null);
  });

  builder.addEventListener("dragend", function () {
    if (dragged) { dragged.classList.remove("dragging"); }
    dragged = null;
  });

  /* the preview's switch: which view the frame shows */
  builder.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest(".preview-switch a") : null;
    if (!link) { return; }
    var links = builder.querySelectorAll(".preview-switch a");
    for (var i = 0; i < links.length; i++) { links[i].removeAttribute("aria-current"); }
    link.setAttribute("aria-current", "true");
  });
})();
