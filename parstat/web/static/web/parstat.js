// After every save, the findings panel says which rows the rules name: mark those rows and
// show the rules beside them (badges built with textContent, never as markup).
(function () {
  function markFindings() {
    var panel = document.getElementById("findings");
    if (!panel) return;
    var byCode = {};
    try { byCode = JSON.parse(panel.dataset.rules || "{}"); } catch (e) { byCode = {}; }
    document.querySelectorAll("tr[data-code]").forEach(function (row) {
      var found = byCode[row.dataset.code] || [];
      row.classList.toggle("flagged", found.length > 0);
      var holder = row.querySelector(".row-findings");
      if (!holder) return;
      holder.replaceChildren();
      found.forEach(function (item) {
        var badge = document.createElement("span");
        badge.className = "badge-" + item[1];
        badge.textContent = item[0];
        badge.title = item[2];
        holder.appendChild(badge);
      });
    });
  }
  document.addEventListener("htmx:afterSettle", markFindings);
  document.addEventListener("DOMContentLoaded", markFindings);
})();

// Scripts and styles come from files only (Content-Security-Policy): no inline handlers, and
// htmx must not insert its own <style> (its indicator rules are in parstat.css instead).
if (window.htmx) { window.htmx.config.includeIndicatorStyles = false; }
document.addEventListener("change", function (event) {
  var select = event.target.closest && event.target.closest("form.lang select");
  if (select) select.form.submit();
});
