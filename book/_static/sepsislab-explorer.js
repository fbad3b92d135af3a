/* Static explorers of the septic shock book: no kernel, no network.
 *
 * Each <figure class="sepsislab-explorer"> carries its spec as JSON (written by
 * sepsislab.interactive.static.figure_html): the default traces, the grid of every
 * slider, one frame of data per combination of slider positions, and the figure's
 * look in the light and the dark theme.
 *
 * Text first: plotly.js (1.5 MB) is fetched only when a figure comes near the screen,
 * and each figure is drawn when it does. Sliders work from the start (the read-out
 * follows at once; the plot shows their position when it is drawn).
 * The look follows the page: the theme switch or the system's preference (the theme
 * sets <html data-theme>), and the width (on a phone: smaller margins and type, the
 * legend above the plot, where it covers no data, and panels that stand side by side
 * stacked in one column, each as wide as the plot; see oneColumn).
 * window.sepsislabDrawAll() draws every figure (for printing and the book's PDF). */
(function () {
  "use strict";

  var script = document.currentScript;
  var PLOTLY_URL = new URL(script.getAttribute("data-plotly") || "plotly-cartesian.min.js", script.src).href;
  var NEAR = "600px 0px";     // start loading this far before a figure scrolls into view
  var NARROW = 560;           // px of plot width under which the phone layout applies
  var PANEL_PX = 240;         // least height of each panel's plot area once stacked on a phone
  var PANEL_GAP_PX = 84;      // between stacked panels: the x tick labels and title of the upper one
  var plotly = null;

  function loadPlotly() {
    if (!plotly) {
      plotly = window.Plotly ? Promise.resolve(window.Plotly) : new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = PLOTLY_URL;
        tag.onload = function () { resolve(window.Plotly); };
        tag.onerror = function () { reject(new Error("cannot load " + PLOTLY_URL)); };
        document.head.appendChild(tag);
      });
    }
    return plotly;
  }

  function format(v) {
    return String(+v.toPrecision(3));  // 3 significant digits, plain notation (1000, not 1.00e+3)
  }

  function copy(obj) { return JSON.parse(JSON.stringify(obj)); }

  // plotly.py accepts the shorthand title: "text" and expands it; plotly.js 3 and
  // later drop it, so titles go missing. Wrap every one, at any depth.
  function fullTitles(obj) {
    Object.keys(obj).forEach(function (key) {
      var value = obj[key];
      if (key === "title" && typeof value === "string") {
        obj[key] = { text: value };
      } else if (value && typeof value === "object") {
        fullTitles(value);
      }
    });
    return obj;
  }

  // -- panels side by side, stacked on a phone --------------------------------------------
  // The figure's panels are read from its axes, whichever way the layout was made
  // (sepsislab.views.common.grid_layout, or axis domains set by hand): panel = an x axis
  // and the y axis it is anchored to, drawn in the box of their two domains.

  function domainOf(axis) { return (axis && axis.domain) || [0, 1]; }

  function panelsOf(layout) {
    return Object.keys(layout).filter(function (key) {
      return /^xaxis[0-9]*$/.test(key) && !(layout[key] || {}).overlaying;
    }).map(function (xkey) {
      var anchor = layout[xkey].anchor, suffix = xkey.slice(5);
      var ykey = "yaxis" + (/^y[0-9]*$/.test(anchor || "") ? anchor.slice(1) : suffix);
      return { x: xkey, y: ykey, xd: domainOf(layout[xkey]), yd: domainOf(layout[ykey]) };
    }).filter(function (p) { return layout[p.y]; });
  }

  function apart(a, b) { return a[1] <= b[0] + 1e-6 || b[1] <= a[0] + 1e-6; }

  // Two panels that share some height but no width stand side by side.
  function sideBySide(panels) {
    return panels.some(function (p) {
      return panels.some(function (q) { return apart(p.xd, q.xd) && !apart(p.yd, q.yd); });
    });
  }

  function titleText(axis) {
    var title = axis && axis.title;
    return title && typeof title === "object" ? title.text : title;
  }

  // Width in px of a text in a font (canvas metrics; a rough guess where there is no canvas).
  var measure = null;
  function textWidth(text, font) {
    var size = font.size || 12;
    if (!measure) measure = document.createElement("canvas").getContext("2d");
    if (!measure) return 0.6 * size * String(text).length;
    measure.font = size + "px " + (font.family || "sans-serif");
    return measure.measureText(String(text).replace(/<[^>]+>/g, "")).width;
  }

  // A panel's height once stacked: PANEL_PX, or more if its y-axis title (written
  // upwards along the panel) is longer.
  function panelHeight(layout, yaxis) {
    var text = titleText(yaxis);
    if (!text) return PANEL_PX;
    // plotly's axis titles are 1.2 times the figure's type unless they set their own.
    var font = Object.assign({}, layout.font, { size: Math.round(1.2 * ((layout.font || {}).size || 12)) },
                             (yaxis.title || {}).font);
    return Math.max(PANEL_PX, Math.ceil(textWidth(text, font)) + 24);
  }

  // A layout whose panels stand side by side, redone as one column in reading order (rows
  // top to bottom, each left to right): every panel as wide as the plot and PANEL_PX high
  // (more if its y-axis title needs it), with its x tick labels and title under it.
  // Annotations placed on a panel in the paper's coordinates (a panel title) move with
  // it; those tied to an axis move by themselves. Other layouts come back as they were.
  function oneColumn(layout) {
    var panels = panelsOf(layout);
    if (!sideBySide(panels)) return layout;
    panels.sort(function (p, q) { return (q.yd[1] - p.yd[1]) || (p.xd[0] - q.xd[0]); });
    var margin = layout.margin || {};
    var heights = panels.map(function (p) { return panelHeight(layout, layout[p.y]); });
    var height = heights.reduce(function (a, b) { return a + b; }, 0) + (panels.length - 1) * PANEL_GAP_PX;
    var out = copy(layout), top = 0;
    var boxes = heights.map(function (h) {
      var box = { x: [0, 1], y: [round(1 - (top + h) / height), round(1 - top / height)] };
      top += h + PANEL_GAP_PX;
      return box;
    });
    panels.forEach(function (p, i) {
      out[p.x].domain = boxes[i].x;
      out[p.y].domain = boxes[i].y;
      showXLabels(out[p.x], p, panels, layout);
    });
    // The scale from the old plotting height (paper fraction) to the new one.
    var scale = ((layout.height || 420) - (margin.t || 0) - (margin.b || 0)) / height;
    (out.annotations || []).forEach(function (note) { moveWithPanel(note, panels, boxes, scale); });
    out.height = (margin.t || 0) + (margin.b || 0) + height;
    return out;
  }

  // Tick labels under a stacked panel. A column that shared one x axis drew them, and its
  // title, under its lowest panel only: the others now show them and borrow that title.
  function showXLabels(xaxis, panel, panels, layout) {
    if (xaxis.showticklabels !== false) return;
    xaxis.showticklabels = true;
    if (titleText(xaxis)) return;
    var lowest = panels.filter(function (q) {
      return !apart(q.xd, panel.xd) && layout[q.x].showticklabels !== false && titleText(layout[q.x]);
    }).sort(function (q, r) { return q.yd[0] - r.yd[0]; })[0];
    if (lowest) xaxis.title = copy(layout[lowest.x].title);
  }

  // An annotation in paper coordinates follows the panel it belongs to (the one whose box
  // holds it, or else the one under it), at the same distance in px from the panel's top.
  function moveWithPanel(note, panels, boxes, scale) {
    if ((note.xref || "paper") !== "paper" || (note.yref || "paper") !== "paper") return;
    var x = note.x === undefined ? 0.5 : note.x, y = note.y === undefined ? 0.5 : note.y;
    var i = -1;
    panels.forEach(function (p, k) {
      if (x >= p.xd[0] - 1e-6 && x <= p.xd[1] + 1e-6 && y >= p.yd[0] - 1e-6
          && (i < 0 || p.yd[0] > panels[i].yd[0])) i = k;
    });
    if (i < 0) return;
    var p = panels[i];
    note.x = round((x - p.xd[0]) / (p.xd[1] - p.xd[0]));
    note.y = round(boxes[i].y[1] + (y - p.yd[1]) * scale);
  }

  function round(v) { return Math.round(v * 1e6) / 1e6; }

  function currentTheme() {
    return document.documentElement.dataset.theme === "dark" ? "dark" : "light";
  }

  function Explorer(fig) {
    this.fig = fig;
    this.spec = fullTitles(JSON.parse(fig.querySelector('script[type="application/json"]').textContent));
    this.plot = fig.querySelector(".sepsislab-plot");
    this.inputs = Array.prototype.slice.call(fig.querySelectorAll('input[type="range"]'));
    this.alt = this.plot.getAttribute("aria-label");
    this.drawn = null;        // promise, once drawing started
    this.look = null;         // "light" or "dark", plus "-narrow" on a phone
    var self = this;
    this.inputs.forEach(function (input) {
      input.addEventListener("input", function () { self.update(); });
    });
    fig.sepsislabUpdate = function () { self.update(); };  // for tests and curious readers
  }

  Explorer.prototype.narrow = function () {
    return (this.plot.clientWidth || this.fig.clientWidth) < NARROW;
  };

  // Layout for the page's theme and the plot's width.
  Explorer.prototype.layout = function () {
    var theme = currentTheme(), narrow = this.narrow();
    var layout = copy(this.spec.themes[theme].layout);
    if (narrow) {
      // Room above the plot for the legend: two entries a row at this width. (plotly would
      // grow the margin itself, but only on a second pass that a resize can interrupt.)
      var entries = layout.showlegend === false ? 0 : this.spec.data.filter(function (t) {
        return t.showlegend !== false && t.name && !/^(heatmap|contour)$/.test(t.type || "");
      }).length;
      layout.margin = { l: 52, r: 12, t: 28 + 20 * Math.ceil(entries / 2), b: 48 };
      layout.font = Object.assign({}, layout.font, { size: 12 });
      // Above the plot, in rows: a legend inside the plot would cover data on a small screen.
      layout.legend = Object.assign({}, layout.legend, {
        orientation: "h", x: 0, xanchor: "left", y: 1.02, yanchor: "bottom", font: Object.assign(
          {}, (layout.legend || {}).font, { size: 11 }) });
      layout.height = (layout.height || 420) + 40;
      layout = oneColumn(layout);
    }
    this.look = theme + (narrow ? "-narrow" : "");
    return layout;
  };

  // The traces for the sliders' positions, styled for the page's theme.
  Explorer.prototype.data = function () {
    var spec = this.spec, flat = 0, styles = spec.themes[currentTheme()].style;
    this.inputs.forEach(function (input, k) {
      flat = flat * spec.sliders[k].values.length + (+input.value);
    });
    var data = spec.data.map(function (trace, t) { return Object.assign({}, trace, copy(styles[t])); });
    var frame = spec.frames[flat];
    spec.varying.forEach(function (pair, j) { data[pair[0]][pair[1]] = frame[j]; });
    return data;
  };

  // The text alternative sits on role="img" in the HTML. Plotly then puts its toolbar
  // buttons inside that element, and an image may not hold controls (axe:
  // nested-interactive). So it moves to the drawing itself.
  Explorer.prototype.labelDrawing = function () {
    var svg = this.plot.querySelector("svg.main-svg");
    if (!svg || !this.alt) return;
    this.plot.removeAttribute("role");
    this.plot.removeAttribute("aria-label");
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", this.alt);
  };

  Explorer.prototype.draw = function () {
    var self = this;
    function start(Plotly) {
      return Plotly.newPlot(self.plot, self.data(), self.layout(), {
        // Resizing is ours (see relook): plotly's own handler raced the change of layout.
        responsive: false, displaylogo: false, scrollZoom: false,
        // "sendChartToCloud" would upload the chart: the book stays offline.
        modeBarButtonsToRemove: ["lasso2d", "select2d", "sendChartToCloud"]
      }).then(function () {
        self.plot.style.minHeight = "";
        self.fig.classList.add("sepsislab-drawn");
        self.fig.dataset.look = self.look;  // what is on the screen now (tests wait for it)
        self.labelDrawing();
      });
    }
    if (!this.drawn) {
      // With plotly.js at hand, draw now (synchronously: printing cannot wait).
      this.drawn = window.Plotly ? start(window.Plotly) : loadPlotly().then(start);
    }
    return this.drawn;
  };

  // Redraw with the current sliders, theme and width (only once drawn).
  Explorer.prototype.redraw = function () {
    var self = this;
    if (!this.drawn) return Promise.resolve();
    var look;
    return this.drawn.then(function () {
      var layout = self.layout();
      look = self.look;
      layout.datarevision = (self.revision = (self.revision || 0) + 1);
      return window.Plotly.react(self.plot, self.data(), layout);
    }).then(function () {
      self.fig.dataset.look = look;
      self.labelDrawing();
    });
  };

  Explorer.prototype.update = function () {
    var spec = this.spec;
    this.inputs.forEach(function (input, k) {
      var text = format(spec.sliders[k].values[+input.value]);
      input.setAttribute("aria-valuetext", text);
      input.nextElementSibling.textContent = text;
    });
    this.redraw();
  };

  // After a change of theme or width: the new look, or the same look at the new size.
  Explorer.prototype.relook = function () {
    var self = this;
    if (!this.drawn) return;
    var look = currentTheme() + (this.narrow() ? "-narrow" : "");
    if (look !== this.look) {
      this.redraw().then(function () { return window.Plotly.Plots.resize(self.plot); });
    } else {
      this.drawn.then(function () { return window.Plotly.Plots.resize(self.plot); });
    }
  };

  function initAll() {
    var explorers = Array.prototype.map.call(document.querySelectorAll("figure.sepsislab-explorer"),
                                             function (fig) { return new Explorer(fig); });
    if (!explorers.length) return;

    if ("IntersectionObserver" in window) {
      var near = new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
          if (entry.isIntersecting) {
            near.unobserve(entry.target);
            entry.target.sepsislabExplorer.draw();
          }
        });
      }, { rootMargin: NEAR });
      explorers.forEach(function (e) { e.fig.sepsislabExplorer = e; near.observe(e.fig); });
    } else {
      explorers.forEach(function (e) { e.draw(); });
    }

    // The reader toggles the theme, or the system's preference changes (the theme then
    // updates data-theme): every drawn figure takes the new look.
    new MutationObserver(function () { explorers.forEach(function (e) { e.relook(); }); })
      .observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    // Phone turned, window resized: switch between the wide and the narrow layout.
    var pending;
    window.addEventListener("resize", function () {
      clearTimeout(pending);
      pending = setTimeout(function () { explorers.forEach(function (e) { e.relook(); }); }, 150);
    });
    // Paper: draw what is not drawn yet (when plotly.js is here), fit the plots to the
    // page, and back to the screen after.
    ["beforeprint", "afterprint"].forEach(function (event) {
      window.addEventListener(event, function () {
        if (!window.Plotly) return;
        explorers.forEach(function (e) {
          if (e.drawn) { window.Plotly.Plots.resize(e.plot); } else { e.draw(); }
        });
      });
    });
    window.sepsislabOneColumn = oneColumn;  // for tests
    window.sepsislabDrawAll = function () {
      return Promise.all(explorers.map(function (e) { return e.draw(); }));
    };
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initAll);
  } else {
    initAll();
  }
})();
