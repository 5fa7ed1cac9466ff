// The /slo page: the objectives as this instance sees them (GET /api/v1/slo), and their error
// budget, burn rates and each route's traffic over the last hour (GET /api/v1/slo/history),
// drawn with uPlot and refreshed every 5 seconds. Loaded as a file: the page's
// Content-Security-Policy allows no inline script.
"use strict";

(function () {
  const REFRESH_MS = 5000;
  const HISTORY_MINUTES = 60;
  const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
                  "#7f7f7f", "#bcbd22", "#17becf"];
  const WINDOWS = ["5m", "1h", "6h"];

  // How each figure is written; tests/e2e/test_slo_page.py reads the page with the same rules.
  const format = {
    fraction: (digits) => (v) => (v * 100).toFixed(digits) + "%",
    minutes: (v) => v.toFixed(1) + " min",
    burn: (v) => v.toFixed(2) + "x",
  };

  function cell(row, text, value, field, className) {
    const td = document.createElement("td");
    td.textContent = text;
    if (field) {
      td.dataset.field = field;
      td.dataset.value = value === null ? "null" : String(value);
    }
    if (className) {
      td.className = className;
    }
    row.appendChild(td);
    return td;
  }

  function figure(row, value, formatter, field, className) {
    return cell(row, value === null ? "–" : formatter(value), value, field,
                value === null ? "" : className);
  }

  function renderObjectives(report) {
    document.getElementById("scope").textContent = report.scope;
    document.getElementById("as-of").textContent = report.as_of;
    document.getElementById("as-of").dateTime = report.as_of;
    const body = document.querySelector("#objectives tbody");
    const rows = report.objectives.map((objective) => {
      const row = document.createElement("tr");
      row.dataset.objective = objective.name;
      cell(row, objective.title);
      cell(row, format.fraction(1)(objective.target), objective.target, "target");
      cell(row, objective.window, objective.window, "window");
      if (!objective.visible) {
        const reason = cell(row, "Not measured by this instance: " + objective.not_visible);
        reason.colSpan = 7;
        reason.className = "not-visible";
        reason.dataset.field = "not_visible";
        return row;
      }
      cell(row, objective.events.bad + " / " + objective.events.total,
           objective.events.bad + "/" + objective.events.total, "events");
      figure(row, objective.sli, format.fraction(3), "sli");
      const budget = objective.error_budget;
      figure(row, budget.remaining_fraction, format.fraction(1), "remaining_fraction",
             budget.remaining_fraction < 0 ? "overspent" : "");
      figure(row, budget.remaining_minutes, format.minutes, "remaining_minutes",
             budget.remaining_minutes < 0 ? "overspent" : "");
      for (const window of WINDOWS) {
        const rate = objective.burn_rates[window];
        figure(row, rate, format.burn, "burn_" + window, rate > 1 ? "burning" : "");
      }
      return row;
    });
    body.replaceChildren(...rows);
  }

  // One uPlot per chart id, rebuilt when its series change (a route's first request).
  const charts = new Map();

  function drawChart(container, id, title, times, series, valueFormat) {
    const labels = series.map((s) => s.label).join("\n");
    const data = [times, ...series.map((s) => s.values)];
    const existing = charts.get(id);
    if (existing && existing.labels === labels) {
      existing.plot.setData(data);
      return;
    }
    let box = document.getElementById(id);
    if (existing) {
      existing.plot.destroy();
      box.replaceChildren();
    } else {
      box = document.createElement("div");
      box.id = id;
      box.className = "chart";
      container.appendChild(box);
    }
    const heading = document.createElement("h3");
    heading.textContent = title;
    box.appendChild(heading);
    const options = {
      width: 560,
      height: 220,
      series: [{}, ...series.map((s, i) => ({
        label: s.label,
        stroke: COLORS[i % COLORS.length],
        width: 1.5,
        spanGaps: false,
        value: (u, v) => (v === null || v === undefined ? "–" : valueFormat(v)),
      }))],
      axes: [{}, { values: (u, ticks) => ticks.map(valueFormat), size: 70 }],
    };
    charts.set(id, { labels, plot: new uPlot(options, data, box) });
  }

  function renderHistory(history) {
    const times = history.times;
    const objectiveCharts = document.getElementById("objective-charts");
    drawChart(objectiveCharts, "chart-budget", "Error budget left", times,
              history.objectives.map((o) => ({ label: o.title, values: o.budget_remaining })),
              format.fraction(1));
    for (const objective of history.objectives) {
      drawChart(objectiveCharts, "chart-burn-" + objective.name,
                "Burn rate: " + objective.title, times,
                WINDOWS.map((w) => ({ label: w, values: objective.burn_rates[w] })), format.burn);
    }
    const routeCharts = document.getElementById("route-charts");
    const byRoute = (key) => history.routes.map((r) => ({ label: r.route, values: r[key] }));
    drawChart(routeCharts, "chart-requests", "Requests per second", times,
              byRoute("requests_per_second"), (v) => v.toFixed(2));
    drawChart(routeCharts, "chart-errors", "Errors (5xx) per second", times,
              byRoute("errors_per_second"), (v) => v.toFixed(2));
    drawChart(routeCharts, "chart-p99", "Latency p99", times, byRoute("p99_seconds"),
              (v) => (v * 1000).toFixed(1) + " ms");
  }

  async function fetchJson(path) {
    const response = await fetch(path, { headers: { Accept: "application/json" } });
    if (!response.ok) {
      throw new Error(path + " answered " + response.status);
    }
    return response.json();
  }

  async function refresh() {
    const error = document.getElementById("error");
    try {
      const [report, history] = await Promise.all([
        fetchJson("/api/v1/slo"), fetchJson("/api/v1/slo/history?minutes=" + HISTORY_MINUTES)]);
      renderObjectives(report);
      renderHistory(history);
      error.textContent = "";
      document.body.dataset.loaded = "true";
    } catch (e) {
      error.textContent = "Could not refresh: " + e.message;
    }
  }

  refresh();
  setInterval(refresh, REFRESH_MS);
})();
