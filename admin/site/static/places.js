// The commune list shows only the chosen province's communes (the form works without this).
(function () {
  "use strict";
  var province = document.getElementById("place-province");
  var commune = document.getElementById("place-commune");
  if (!province || !commune) { return; }
  var groups = Array.prototype.slice.call(commune.querySelectorAll("optgroup"));
  function filter() {
    groups.forEach(function (group) {
      var shown = !province.value || group.getAttribute("data-province") === province.value;
      group.hidden = !shown;
      group.disabled = !shown;
      if (!shown && group.contains(commune.options[commune.selectedIndex])) { commune.value = ""; }
    });
  }
  province.addEventListener("change", filter);
  filter();
}());
