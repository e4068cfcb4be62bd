// Progressive enhancement for the dashboard: every number is already in the page; this draws the charts.
(function () {
  "use strict";
  var holder = document.getElementById("chart-data");
  if (!holder) { return; }
  var data = JSON.parse(holder.dataset.chart);
  var css = getComputedStyle(document.documentElement);
  var color = function (name) { return css.getPropertyValue(name).trim(); };
  // Numbers on the axes as the page writes them: a real minus sign (U+2212), not a hyphen.
  var signed = function (value) { return value < 0 ? "\u2212" + Math.abs(value) : String(value); };

  document.querySelectorAll(".shares span[data-share]").forEach(function (bar) {
    bar.style.width = (parseFloat(bar.dataset.share) * 100).toFixed(2) + "%";
  });

  if (typeof Chart === "undefined") { return; }
  var trend = document.getElementById("trend-chart");
  if (trend) {
    new Chart(trend, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: [
          { label: "Interval high", data: data.high, borderWidth: 0, pointRadius: 0, fill: "+1", backgroundColor: "rgba(36, 87, 214, 0.15)" },
          { label: "Interval low", data: data.low, borderWidth: 0, pointRadius: 0, fill: false },
          {
            label: "NPS", data: data.nps, borderColor: color("--accent"), spanGaps: true,
            pointBackgroundColor: data.outOfControl.map(function (o) { return o ? color("--danger") : color("--accent"); }),
            pointRadius: data.outOfControl.map(function (o) { return o ? 6 : 3; })
          },
          { label: "3-period average", data: data.movingAverage, borderColor: "#8a93a6", borderDash: [4, 4], pointRadius: 0, spanGaps: true },
          { label: "Upper control limit", data: data.upper, borderColor: "#d9a3a3", borderWidth: 1, pointRadius: 0, stepped: true, spanGaps: true },
          { label: "Lower control limit", data: data.lower, borderColor: "#d9a3a3", borderWidth: 1, pointRadius: 0, stepped: true, spanGaps: true }
        ]
      },
      options: {
        animation: false,
        scales: { y: { suggestedMin: -100, suggestedMax: 100, ticks: { callback: signed } } },
        plugins: { legend: { labels: { filter: function (item) { return item.text.indexOf("Interval") !== 0; } } } }
      }
    });
    trend.dataset.rendered = "true";
  }

  var histogram = document.getElementById("histogram-chart");
  if (histogram) {
    new Chart(histogram, {
      type: "bar",
      data: {
        labels: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"],
        datasets: [{
          label: "Responses", data: data.distribution,
          backgroundColor: data.distribution.map(function (_, s) { return s <= 6 ? color("--detractor") : s <= 8 ? color("--passive") : color("--promoter"); })
        }]
      },
      // A count axis: whole responses only.
      options: { animation: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
    histogram.dataset.rendered = "true";
  }
})();

// The Why section's diverging bars: ζ of each term, detractor terms to the right, promoter terms to the left.
(function () {
  "use strict";
  var holder = document.getElementById("words-data");
  var canvas = document.getElementById("words-chart");
  if (!holder || !canvas || typeof Chart === "undefined") { return; }
  var data = JSON.parse(holder.dataset.chart);
  if (!data.labels || data.labels.length === 0) { return; }
  var css = getComputedStyle(document.documentElement);
  var color = function (name) { return css.getPropertyValue(name).trim(); };
  canvas.parentElement.style.height = (data.labels.length * 22 + 60) + "px";
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [{
        label: "ζ (weighted log-odds)", data: data.zeta,
        backgroundColor: data.detractor.map(function (d) { return d ? color("--detractor") : color("--promoter"); })
      }]
    },
    options: {
      indexAxis: "y", animation: false, maintainAspectRatio: false,
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: function (item) { return "ζ " + String(item.raw).replace("-", "\u2212") + (item.raw > 0 ? " (detractors)" : " (promoters)"); } } }
      },
      scales: { x: { title: { display: true, text: "← promoters · ζ · detractors →" }, ticks: { callback: function (value) { return value < 0 ? "\u2212" + Math.abs(value) : String(value); } } } }
    }
  });
  canvas.dataset.rendered = "true";
})();
