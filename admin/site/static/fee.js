// The amount due follows the answers: when a field a fee counts changes, ask the server
// (GET data-fee-url with those fields) and show the box it draws. The script never computes
// a fee (one meaning: form_schemas/fees.py); without it the amount is shown on the check page.
(function () {
  "use strict";
  var box = document.getElementById("fee-due");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-fee-url");
  var patterns = (box.getAttribute("data-fee-inputs") || "").split(" ").filter(Boolean).map(function (p) {
    var escaped = p.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "\\d+");
    return new RegExp("^" + escaped + "$");
  });
  var form = box.closest("form") || document.querySelector("form.application");
  if (!url || !patterns.length || !form) { return; }
  var timer = null;
  var asked = 0;

  function counted(name) {
    return patterns.some(function (re) { return re.test(name); });
  }

  function query() {
    var params = new URLSearchParams();
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.type === "file") { return; }
      if (el.name === "_motcua.office" || counted(el.name)) { params.append(el.name, el.value); }
    });
    return params.toString();
  }

  function refresh() {
    var mine = ++asked;
    box.setAttribute("aria-busy", "true");
    fetch(url + "?" + query(), { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (mine !== asked || !data || !data.html) { return; }  // a later answer is on its way
        var drawn = new DOMParser().parseFromString(data.html, "text/html").querySelector(".fee-due-body");
        var body = box.querySelector(".fee-due-body");
        if (drawn && body) { body.innerHTML = drawn.innerHTML; }
        box.setAttribute("data-fee-total", String(data.total));
      })
      .catch(function () { /* offline: the check page shows the amount */ })
      .then(function () { if (mine === asked) { box.removeAttribute("aria-busy"); } });
  }

  function changed(event) {
    var name = event.target && event.target.name;
    if (!name || !(counted(name) || name === "_motcua.office")) { return; }
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 300);
  }

  refresh();  // a form drawn again after an error, or restored by the browser, keeps its answers
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  // rows of a repeating group added or removed ("Thêm"/"Xóa"): the sum changes too
  form.addEventListener("click", function (event) {
    var target = event.target;
    if (target && target.closest && target.closest("button") && !target.closest("button[type=submit]:not([name])")) {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 300);
    }
  });
}());
