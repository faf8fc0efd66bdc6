/* motcua application forms: conditional fields and repeating groups.
   No dependencies. Without this script every field shows and the server decides.
   The form is posted with `novalidate`: this script never blocks a submission, so the
   server's Vietnamese summary and messages beside each field are the one experience. That
   keeps one meaning for an optional group (form_schemas/groups.py): its required fields
   only count once the citizen has entered something in it that the form did not prefill. */
(function () {
  "use strict";

  function valueOf(form, name) {
    var field = form.elements.namedItem(name);
    if (!field) return "";
    if (!field.tagName) {
      /* several inputs share the name (radio buttons) */
      for (var i = 0; i < field.length; i++) {
        var el = field[i];
        if (el.disabled) continue;
        if (el.type === "radio" || el.type === "checkbox") {
          if (el.checked) return el.value;
        } else if (el.value) {
          return el.value.trim();
        }
      }
      return "";
    }
    if (field.disabled) return "";
    if (field.type === "checkbox" || field.type === "radio") return field.checked ? field.value : "";
    return (field.value || "").trim();
  }

  function holds(form, conditions) {
    return conditions.some(function (condition) {
      var all = condition.all.every(function (clause) {
        var value = valueOf(form, clause[0]);
        if (value === "") return !clause[2];
        return clause[1] === null || clause[1].indexOf(value) !== -1;
      });
      return condition.not ? !all : all;
    });
  }

  function controls(el) {
    return el.querySelectorAll("input, select, textarea, button");
  }

  function hiddenAbove(el) {
    var up = el.parentElement && el.parentElement.closest("[data-show-when]");
    return Boolean(up && up.hidden);
  }

  function update(form) {
    form.querySelectorAll("[data-show-when]").forEach(function (el) {
      var shown;
      try {
        shown = holds(form, JSON.parse(el.getAttribute("data-show-when"))) && !hiddenAbove(el);
      } catch (err) {
        shown = true;
      }
      el.hidden = !shown;
      controls(el).forEach(function (control) {
        if (!shown && !control.disabled) {
          control.disabled = true;
          control.setAttribute("data-mc-off", "");
        } else if (shown && control.hasAttribute("data-mc-off")) {
          control.disabled = false;
          control.removeAttribute("data-mc-off");
        }
      });
      el.querySelectorAll("[data-required-when]").forEach(function (input) {
        if (input.closest("[data-show-when]") === el) input.required = shown;
      });
      var mark = el.querySelector(":scope > label .mc-required, :scope > legend .mc-required");
      if (mark) mark.hidden = !shown;
    });
    form.querySelectorAll("select[data-narrowed-by]").forEach(function (select) { narrow(form, select); });
  }

  /* a choice narrowed by another (the communes of the chosen province): only the options the
     other's value allows are offered; a choice that no longer fits is cleared (the server
     checks the same rule) */
  function narrow(form, select) {
    var by = valueOf(form, select.getAttribute("data-narrowed-by"));
    for (var i = 0; i < select.options.length; i++) {
      var option = select.options[i];
      var when = option.getAttribute("data-when");
      if (!option.value || when === null) continue;
      var fits = !by || when.split(" ").indexOf(by) !== -1;
      option.hidden = !fits;
      option.disabled = !fits;
    }
    var chosen = select.options[select.selectedIndex];
    if (chosen && chosen.disabled) select.value = "";
  }

  function renumber(repeat) {
    var items = repeat.querySelector(":scope > .mc-items").children;
    var label = repeat.getAttribute("data-label") || "";
    var min = Number(repeat.getAttribute("data-min") || 0);
    var max = repeat.hasAttribute("data-max") ? Number(repeat.getAttribute("data-max")) : Infinity;
    for (var i = 0; i < items.length; i++) {
      var legend = items[i].querySelector(":scope > .mc-item-legend");
      if (legend) legend.textContent = label + " " + (i + 1);
      var remove = items[i].querySelector(":scope > .mc-remove");
      if (remove) {
        remove.disabled = items.length <= min;
        var text = remove.getAttribute("aria-label") || "";
        remove.setAttribute("aria-label", text.replace(/\S+$/, String(i + 1)));
      }
    }
    var add = repeat.querySelector(":scope > .mc-add");
    if (add) add.disabled = items.length >= max;
  }

  function add(button) {
    var repeat = button.closest("[data-repeat]");
    var template = repeat.querySelector(":scope > template");
    var items = repeat.querySelector(":scope > .mc-items");
    var next = 0;
    for (var i = 0; i < items.children.length; i++) {
      next = Math.max(next, Number(items.children[i].getAttribute("data-index")) + 1);
    }
    var html = template.innerHTML.split(template.getAttribute("data-token")).join(String(next));
    items.insertAdjacentHTML("beforeend", html);
    renumber(repeat);
    var added = items.lastElementChild;
    if (added) dateBounds(added);
    var first = added && added.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
  }

  function remove(button) {
    var item = button.closest(".mc-item");
    var repeat = item.closest("[data-repeat]");
    item.remove();
    renumber(repeat);
    var addButton = repeat.querySelector(":scope > .mc-add");
    if (addButton) addButton.focus();
  }

  function init(form) {
    form.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("button[name=__action]");
      if (!button || !form.contains(button)) return;
      var verb = button.value.split(":")[0];
      if (verb !== "add" && verb !== "remove") return;
      event.preventDefault();
      if (verb === "add") add(button);
      else remove(button);
      update(form);
    });
    form.addEventListener("input", function () { update(form); });
    form.addEventListener("change", function () { update(form); });
    form.querySelectorAll("[data-repeat]").forEach(renumber);
    update(form);
  }

  /* identifiers typed on a full-width keyboard (０９１２…) become ASCII digits, as the server stores them */
  function asciiDigits(event) {
    var el = event.target;
    var mode = el.getAttribute && el.getAttribute("inputmode");
    if ((mode === "numeric" || mode === "tel") && el.value && el.value.normalize) el.value = el.value.normalize("NFKC");
  }

  /* a file input: say which file was chosen and its size (the native text may be cut short) */
  function sizeText(bytes) {
    var english = (document.documentElement.lang || "vi").indexOf("en") === 0;
    var units = [["MB", 1048576], ["KB", 1024]];
    for (var i = 0; i < units.length; i++) {
      if (bytes >= units[i][1]) {
        var text = (Math.round(bytes / units[i][1] * 10) / 10).toString();
        return (english ? text : text.replace(".", ",")) + " " + units[i][0];
      }
    }
    return bytes + (english ? " bytes" : " byte");
  }

  function fileChosen(event) {
    var input = event.target;
    if (!input || input.type !== "file") return;
    var note = document.getElementById(input.id + "--chosen");
    if (!note) return;
    var file = input.files && input.files[0];
    var shown = input.parentElement && input.parentElement.querySelector(".mc-file-name");
    if (shown) shown.textContent = file ? file.name : shown.getAttribute("data-empty");
    note.textContent = file ? (note.getAttribute("data-text") || "{name} ({size})")
      .replace("{name}", file.name).replace("{size}", sizeText(file.size)) : "";
  }

  /* a date bounded by "today" (formatMinimum/formatMaximum): the page may be cached for days,
     so its min/max are set here to today in Vietnam (UTC+7); the server checks it again */
  function vietnamToday() {
    return new Date(Date.now() + 7 * 3600 * 1000).toISOString().slice(0, 10);
  }

  function dateBounds(root) {
    var today = vietnamToday();
    root.querySelectorAll("input[data-min-today]").forEach(function (el) { el.min = today; });
    root.querySelectorAll("input[data-max-today]").forEach(function (el) { el.max = today; });
  }

  function start() {
    document.documentElement.classList.add("mc-js"); /* file inputs get their face (forms.css) */
    document.addEventListener("change", asciiDigits, true);
    document.addEventListener("change", fileChosen, true);
    dateBounds(document);
    document.querySelectorAll("form").forEach(function (form) {
      if (form.querySelector("[data-show-when], [data-repeat], [data-narrowed-by]")) init(form);
    });
    var summary = document.getElementById("mc-error-summary");
    if (summary) summary.focus();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
