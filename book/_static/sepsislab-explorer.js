/* Static explorers of the septic shock book: no kernel, no network.
 * Each <figure class="sepsislab-explorer"> carries its spec as JSON (written by
 * sepsislab.interactive.Explorer.static_html): the default traces, the grid of
 * every slider, and one frame of data per combination of slider positions.
 * Moving a range input looks the combination up and redraws the plot. */
(function () {
  "use strict";

  function format(v) {
    return String(+v.toPrecision(3));  // 3 significant digits, plain notation (1000, not 1.00e+3)
  }

  // plotly.py accepts the shorthand title: "text" and expands it; plotly.js 3 and
  // later drop it, so titles go missing. interactive.py wraps the layout's own
  // titles; this also catches nested ones (colour bars, legends) at any depth.
  function fullTitles(obj) {
    Object.keys(obj).forEach(function (key) {
      var value = obj[key];
      if (key === "title" && typeof value === "string") {
        obj[key] = { text: value };
      } else if (value && typeof value === "object" && !Array.isArray(value)) {
        fullTitles(value);
      }
    });
    return obj;
  }

  function init(fig) {
    var spec = JSON.parse(fig.querySelector('script[type="application/json"]').textContent);
    fullTitles(spec.layout);
    spec.data.forEach(fullTitles);
    var plot = fig.querySelector(".sepsislab-plot");
    var inputs = Array.prototype.slice.call(fig.querySelectorAll('input[type="range"]'));
    var revision = 0;
    // The text alternative sits on role="img" in the HTML. Plotly then puts its
    // toolbar buttons inside that element, and an image may not hold controls
    // (axe: nested-interactive). So it moves to the drawing itself.
    var alt = plot.getAttribute("aria-label");
    function labelDrawing() {
      var svg = plot.querySelector("svg.main-svg");
      if (!svg || !alt) return;
      plot.removeAttribute("role");
      plot.removeAttribute("aria-label");
      svg.setAttribute("role", "img");
      svg.setAttribute("aria-label", alt);
    }
    Plotly.newPlot(plot, spec.data, spec.layout, {
      responsive: true, displaylogo: false, scrollZoom: false,
      // "sendChartToCloud" would upload the chart: the book stays offline.
      modeBarButtonsToRemove: ["lasso2d", "select2d", "sendChartToCloud"]
    }).then(labelDrawing);

    function update() {
      var flat = 0;
      inputs.forEach(function (input, k) {
        var values = spec.sliders[k].values, i = +input.value;
        flat = flat * values.length + i;
        var text = format(values[i]);
        input.setAttribute("aria-valuetext", text);
        input.nextElementSibling.textContent = text;
      });
      var frame = spec.frames[flat];
      spec.varying.forEach(function (pair, j) {
        spec.data[pair[0]][pair[1]] = frame[j];
      });
      spec.layout.datarevision = ++revision;
      Plotly.react(plot, spec.data, spec.layout).then(labelDrawing);
    }

    inputs.forEach(function (input) { input.addEventListener("input", update); });
    // Fit the plot to the paper when printing, and back to the screen after.
    ["beforeprint", "afterprint"].forEach(function (event) {
      window.addEventListener(event, function () { Plotly.Plots.resize(plot); });
    });
    fig.sepsislabUpdate = update;  // for tests and for readers poking at the console
  }

  function initAll() {
    Array.prototype.forEach.call(document.querySelectorAll("figure.sepsislab-explorer"), init);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initAll);
  } else {
    initAll();
  }
})();
