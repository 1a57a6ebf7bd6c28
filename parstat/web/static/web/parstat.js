// Marks the rows that a finding names, after every save (the findings panel says which).
(function () {
  function markFlagged() {
    var panel = document.getElementById("findings");
    if (!panel) return;
    var flagged = new Set((panel.dataset.flagged || "").split(" ").filter(Boolean));
    document.querySelectorAll("tr[data-code]").forEach(function (row) {
      row.classList.toggle("flagged", flagged.has(row.dataset.code));
    });
  }
  document.addEventListener("htmx:afterSettle", markFlagged);
  document.addEventListener("DOMContentLoaded", markFlagged);
})();
