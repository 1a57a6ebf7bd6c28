// The narrative page: "Chèn" puts {{CODE}} where the caret was in the part last written in,
// then saves that part (its change event is what htmx listens to).
(function () {
  "use strict";
  var last = null;
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("form.part textarea")) last = event.target;
  });
  document.addEventListener("click", function (event) {
    if (!event.target.matches || !event.target.matches("#figure-insert")) return;
    var code = document.getElementById("figure-code").value;
    var area = last || document.querySelector("form.part textarea:not([readonly])");
    if (!area || !code || area.readOnly) return;
    var start = area.selectionStart, end = area.selectionEnd, placeholder = "{{" + code + "}}";
    area.value = area.value.slice(0, start) + placeholder + area.value.slice(end);
    area.selectionStart = area.selectionEnd = start + placeholder.length;
    area.focus();
    area.dispatchEvent(new Event("change", {bubbles: true}));
  });
})();
