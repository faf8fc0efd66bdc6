// Office page: the commune select shows only the communes of the chosen province.
(function () {
  "use strict";
  var province = document.querySelector("[data-province-select]");
  if (!province) { return; }
  var commune = document.getElementById(province.getAttribute("data-province-select"));
  var groups = Array.prototype.slice.call(commune.querySelectorAll("optgroup"));
  var blank = commune.querySelector("option[value='']");
  function filter() {
    var chosen = province.value;
    var selected = commune.value;
    groups.forEach(function (group) {
      var keep = !chosen || group.getAttribute("data-province") === chosen;
      if (keep && !group.parentNode) { commune.appendChild(group); }
      if (!keep && group.parentNode) { commune.removeChild(group); }
    });
    if (!commune.querySelector("option[value='" + selected + "']")) { blank.selected = true; }
  }
  province.addEventListener("change", filter);
  filter();
})();
