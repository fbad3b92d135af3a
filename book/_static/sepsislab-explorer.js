/* Static explorers of the septic shock book: no kernel, no network.
 * Each <figure class="sepsislab-explorer"> carries its spec as JSON (written by
 * sepsislab.interactive.Explorer.static_html): the default traces, the grid of
 * every slider, and one frame of data per combination of slider positions.
 * Moving a range input looks the combination up and redraws the plot. */
(function () {
  "use strict";

  function format(v) {
    return Math.abs(v) >= 1000 || (Math.abs(v) < 0.01 && v !== 0) ? v.toExponential(2) : String(+v.toPrecision(3));
  }

  function init(fig) {
    var spec = JSON.parse(fig.querySelector('script[type="application/json"]').textContent);
    var plot = fig.querySelector(".sepsislab-plot");
    var inputs = Array.prototype.slice.call(fig.querySelectorAll('input[type="range"]'));
    var revision = 0;
    Plotly.newPlot(plot, spec.data, spec.layout, {
      responsive: true, displaylogo: false, scrollZoom: false,
      modeBarButtonsToRemove: ["lasso2d", "select2d"]
    });

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
      Plotly.react(plot, spec.data, spec.layout);
    }

    inputs.forEach(function (input) { input.addEventListener("input", update); });
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
