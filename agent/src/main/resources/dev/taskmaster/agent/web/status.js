// The TaskMaster Agent status page: polls api/status (and health), draws the charts with the
// bundled uPlot. Each chart element carries data-points, the number of values its last drawing
// showed, which tests read from the page.
(function () {
  "use strict";

  const POLL_MS = 2000;
  const HEALTH_MS = 10000;
  const GREEN = "#2e9d5b", RED = "#d2393c", GREY = "#8a94a6", BLUE = "#3b7dd8";
  const PURPLE = "#8e5bd8", ORANGE = "#e08a1e", TEAL = "#1a9aa0";
  const PALETTE = [BLUE, ORANGE, GREEN, RED, PURPLE, TEAL, "#c2549d", "#7a8c2e", "#5d6ad1", GREY];

  const charts = {};
  let lastStatus = null;

  function $(id) {
    return document.getElementById(id);
  }

  function finite(v) {
    return typeof v === "number" && isFinite(v);
  }

  function last(values) {
    for (let i = values.length - 1; i >= 0; i--) {
      if (finite(values[i])) {
        return values[i];
      }
    }
    return null;
  }

  function number(v, digits) {
    if (!finite(v)) {
      return "–";
    }
    const abs = Math.abs(v);
    if (abs !== 0 && (abs < 0.01 || abs >= 1e6)) {
      return v.toPrecision(digits || 3);
    }
    return v.toLocaleString("en-US", { maximumFractionDigits: abs < 10 ? 3 : abs < 100 ? 2 : 0 });
  }

  function duration(seconds) {
    if (!finite(seconds)) {
      return "–";
    }
    if (seconds < 1) {
      return number(seconds * 1000) + " ms";
    }
    return number(seconds) + " s";
  }

  function dollars(v) {
    if (!finite(v)) {
      return "–";
    }
    if (v === 0) {
      return "$0";
    }
    return "$" + (Math.abs(v) < 1 ? v.toPrecision(3) : v.toFixed(2));
  }

  function percent(v) {
    return finite(v) ? number(v * 100) + " %" : "–";
  }

  // One chart: created once per set of series labels, then fed new data.
  function draw(id, xs, lines, options) {
    const el = $(id);
    const key = lines.map((l) => l.label).join("|");
    let entry = charts[id];
    if (entry && entry.key !== key) {
      entry.plot.destroy();
      entry = null;
    }
    const data = [xs].concat(lines.map((l) => l.values));
    if (!entry) {
      const width = Math.max(300, el.clientWidth || 400);
      const opts = {
        width: width,
        height: 220,
        cursor: { drag: { x: false, y: false } },
        scales: { y: options.range ? { range: options.range } : { auto: true } },
        axes: [
          { stroke: "#8a94a6", grid: { stroke: "rgba(128,128,128,0.15)" } },
          {
            stroke: "#8a94a6",
            grid: { stroke: "rgba(128,128,128,0.15)" },
            size: 70,
            values: (u, ticks) => ticks.map(options.format || number),
          },
        ],
        series: [{}].concat(
          lines.map((l) => ({
            label: l.label,
            stroke: l.color,
            width: l.reference ? 1 : 2,
            dash: l.reference ? [6, 4] : undefined,
            fill: l.fill,
            spanGaps: false,
            points: { show: true, size: 3 },
            value: (u, v) => (v == null ? "–" : (options.format || number)(v)),
          }))
        ),
        hooks: {
          draw: [
            (u) => {
              // What this drawing showed: values of the data series, reference lines left out.
              let points = 0;
              u.series.forEach((s, i) => {
                if (i > 0 && s.show && !lines[i - 1].reference) {
                  u.data[i].forEach((v) => {
                    if (finite(v)) {
                      points++;
                    }
                  });
                }
              });
              el.dataset.points = String(points);
              el.dataset.drawn = String(Date.now());
              const empty = el.querySelector(".empty");
              if (empty) {
                empty.style.display = points === 0 ? "flex" : "none";
              }
            },
          ],
        },
      };
      el.textContent = "";
      const empty = document.createElement("div");
      empty.className = "empty";
      empty.textContent = options.empty || "No data yet";
      el.appendChild(empty);
      entry = { key: key, plot: new uPlot(opts, data, el) };
      charts[id] = entry;
    } else {
      entry.plot.setData(data);
    }
  }

  function resize() {
    Object.keys(charts).forEach((id) => {
      const el = $(id);
      charts[id].plot.setSize({ width: Math.max(300, el.clientWidth), height: 220 });
    });
  }

  function render(s) {
    const x = s.series.timestamps;
    const r = s.series.requests;
    draw("chart-requests", x, [
      { label: "success", color: GREEN, values: r.success },
      { label: "error", color: RED, values: r.error },
      { label: "cancelled", color: GREY, values: r.cancelled },
    ], { format: (v) => number(v) + "/s", empty: "No calls yet" });

    const l = s.series.latency_seconds;
    draw("chart-latency", x, [
      { label: "P50", color: BLUE, values: l.p50 },
      { label: "P95", color: ORANGE, values: l.p95 },
      { label: "P99", color: RED, values: l.p99 },
    ], { format: duration, empty: "No calls yet" });

    const t = s.series.ttft_seconds;
    draw("chart-ttft", x, [
      { label: "P50", color: TEAL, values: t.p50 },
      { label: "P95", color: PURPLE, values: t.p95 },
    ], { format: duration, empty: "No streamed calls yet" });

    const k = s.series.tokens_per_second;
    draw("chart-tokens", x, [
      { label: "input", color: BLUE, values: k.input },
      { label: "output", color: ORANGE, values: k.output },
    ], { format: (v) => number(v) + "/s", empty: "No token counts yet" });

    draw("chart-cost", x, [
      { label: "USD per hour", color: GREEN, values: s.series.cost_usd_per_hour },
    ], {
      format: dollars,
      empty: s.cost.enabled ? "No priced calls yet" : "Cost tracking is off (cost.enabled)",
    });
    const byModel = Object.keys(s.cost.by_model)
      .map((m) => m + " " + dollars(s.cost.by_model[m]))
      .join(" · ");
    const unpriced = Object.keys(s.cost.unpriced_calls)
      .map((m) => m + " (" + s.cost.unpriced_calls[m] + " unpriced calls)")
      .join(" · ");
    $("cost-note").textContent =
      "US dollars per hour" + (byModel ? " · " + byModel : "") + (unpriced ? " · " + unpriced : "");

    draw("chart-scores", x, [
      { label: "quality", color: PURPLE, values: s.series.scores.quality },
      { label: "satisfaction", color: GREEN, values: s.series.scores.satisfaction },
    ], { format: (v) => number(v), range: [0, 1], empty: "No scores or feedback yet" });
    $("feedback-note").textContent =
      "0 bad, 1 good · " + s.feedback.accepted + " feedback" + (s.feedback.enabled ? "" : " (off)");

    const drift = s.series.drift_scores;
    const signals = Object.keys(drift).sort();
    const lines = signals.map((name, i) => ({
      label: name,
      color: PALETTE[i % PALETTE.length],
      values: drift[name],
    }));
    lines.push({ label: "critical", color: RED, values: x.map(() => 1), reference: true });
    draw("chart-drift", x, lines, {
      format: (v) => number(v),
      empty: signals.length ? "Drift signals are learning their baseline" : "No drift detection",
    });
    renderSignals(s.drift);

    renderAlerts(s.alerts);
    renderRecent(s.recent);
    renderTiles(s);
    $("service").textContent = s.service + " · agent " + s.version + " · up " + duration(s.uptime_seconds);
    $("updated").textContent = "updated " + new Date(s.now).toLocaleTimeString();
  }

  const UNITS = {
    latency: duration,
    time_to_first_token: duration,
    output_tokens: (v) => number(v) + " tokens",
    response_length: (v) => number(v) + " chars",
    quality: (v) => number(v),
    satisfaction: (v) => number(v),
  };

  function renderSignals(drift) {
    const box = $("drift-signals");
    box.textContent = "";
    drift.forEach((d) => {
      const format = UNITS[d.signal] || (d.signal.endsWith("_rate") ? percent : number);
      const chip = document.createElement("span");
      chip.className = "signal " + d.status;
      const name = document.createElement("b");
      name.textContent = d.signal;
      chip.appendChild(name);
      chip.appendChild(
        document.createTextNode(
          d.status +
            (d.status === "learning" ? "" : " · baseline " + format(d.baseline) + " → now " + format(d.current))
        )
      );
      box.appendChild(chip);
    });
  }

  function renderAlerts(alerts) {
    const box = $("alerts");
    box.textContent = "";
    alerts.forEach((a) => {
      const card = document.createElement("div");
      card.className = "alert " + a.severity + " " + a.state;
      const head = document.createElement("div");
      head.className = "head";
      const state = document.createElement("span");
      state.className = "state";
      state.textContent = a.state + " · " + a.severity;
      const name = document.createElement("span");
      name.className = "name";
      name.textContent = a.name;
      const summary = document.createElement("span");
      summary.textContent = a.summary + (a.value ? " (now " + a.value + ")" : "");
      head.append(state, name, summary);
      const description = document.createElement("div");
      description.className = "muted";
      description.textContent = a.description + (a.since ? " Since " + new Date(a.since).toLocaleTimeString() + "." : "");
      const runbook = document.createElement("pre");
      runbook.textContent = a.runbook;
      card.append(head, description, runbook);
      box.appendChild(card);
    });
  }

  function cell(row, text, className) {
    const td = document.createElement("td");
    td.textContent = text;
    if (className) {
      td.className = className;
    }
    row.appendChild(td);
  }

  function renderRecent(recent) {
    const body = document.querySelector("#recent tbody");
    body.textContent = "";
    recent.forEach((c) => {
      const row = document.createElement("tr");
      cell(row, new Date(c.time).toLocaleTimeString());
      cell(row, c.request_id);
      cell(row, c.endpoint);
      cell(row, c.model);
      cell(row, c.status + (c.error_kind ? " (" + c.error_kind + ")" : ""), "status-" + c.status);
      cell(row, number(c.latency_ms) + " ms", "num");
      cell(row, c.ttft_ms == null ? "–" : number(c.ttft_ms) + " ms", "num");
      cell(row, (c.tokens_in == null ? "–" : c.tokens_in) + " / " + (c.tokens_out == null ? "–" : c.tokens_out), "num");
      cell(row, c.cost_usd == null ? "–" : dollars(c.cost_usd), "num");
      cell(row, c.feedback || "", c.feedback ? "verdict-" + c.feedback : "");
      body.appendChild(row);
    });
  }

  function recentMean(values, n) {
    let sum = 0, count = 0;
    for (let i = Math.max(0, values.length - n); i < values.length; i++) {
      if (finite(values[i])) {
        sum += values[i];
        count++;
      }
    }
    return count ? sum / count : null;
  }

  function renderTiles(s) {
    const r = s.series.requests;
    const ok = recentMean(r.success, 15), err = recentMean(r.error, 15), can = recentMean(r.cancelled, 15);
    const all = (ok || 0) + (err || 0) + (can || 0);
    $("tile-rate").textContent = number(all) + "/s";
    $("tile-errors").textContent = all > 0 ? percent((err || 0) / all) : "–";
    $("tile-p95").textContent = duration(last(s.series.latency_seconds.p95));
    $("tile-cost").textContent = s.cost.enabled ? dollars(s.cost.total_usd) : "off";
    $("tile-satisfaction").textContent = number(last(s.series.scores.satisfaction));
    const firing = s.alerts.filter((a) => a.state === "firing").length;
    const pending = s.alerts.length - firing;
    $("tile-alerts").textContent = firing + " firing" + (pending ? ", " + pending + " pending" : "");
  }

  function poll() {
    fetch("api/status", { cache: "no-store" })
      .then((response) => {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then((status) => {
        lastStatus = status;
        render(status);
      })
      .catch((error) => {
        $("health").className = "badge down";
        $("health").textContent = "agent not reachable";
        $("updated").textContent = String(error);
      })
      .finally(() => setTimeout(poll, POLL_MS));
  }

  function pollHealth() {
    fetch("health", { cache: "no-store" })
      .then((response) => response.json())
      .then((h) => {
        const badge = $("health");
        const modelDown = h.model && h.model.up === false;
        badge.className = "badge " + (modelDown ? "down" : h.status === "ok" ? "ok" : "degraded");
        badge.textContent = modelDown ? "model down" : h.status === "ok" ? "healthy" : "degraded";
        badge.title = JSON.stringify(h, null, 2);
      })
      .catch(() => {})
      .finally(() => setTimeout(pollHealth, HEALTH_MS));
  }

  window.addEventListener("resize", () => {
    if (lastStatus) {
      resize();
    }
  });
  poll();
  pollHealth();
})();
