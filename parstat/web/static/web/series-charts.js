// The analytics series page's two charts, drawn from the page's own JSON (#chart-data). The
// labels come in this script tag's data attributes, so the page needs no inline script
// (the Content-Security-Policy allows scripts from files only). A chart with nothing to show has
// no canvas: the page says why instead of drawing an empty one.
(function () {
  var script = document.currentScript;
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  var seriesCanvas = document.getElementById("series-chart");
  var rankingCanvas = document.getElementById("ranking-chart");
  if (seriesCanvas) new Chart(seriesCanvas, {type: "line",
    data: {labels: data.labels, datasets: [{label: script.dataset.totalLabel, data: data.values,
                                            spanGaps: false}]},
    options: {animation: false}});
  if (rankingCanvas) new Chart(rankingCanvas, {type: "bar",
    data: {labels: data.ranking_labels, datasets: [{label: script.dataset.period,
                                                    data: data.ranking_values}]},
    options: {animation: false, indexAxis: "y"}});
})();
