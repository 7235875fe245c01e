/* Draws every chart placeholder (.bulletin-chart[data-chart]) with the site's own plotly.js.
 * Runs on first load and after each instant navigation (Material's document$), and redraws
 * when the reader switches between light and dark mode. Figures are JSON files of the site.
 * plotly.js (the partial "basic" bundle, vendored in assets/vendor/) and its Chinese locale are
 * loaded only when a page has a chart, once per visit; pages without charts never fetch them. */
(function () {
  "use strict";
  var cache = {};
  var here = document.currentScript ? document.currentScript.src : document.baseURI;
  var plotly = null;
  // the toolbar offers only what readers need: a PNG of the chart; no cloud, edit or logo buttons
  var CONFIG = {
    displaylogo: false,
    responsive: true,
    locale: "zh-CN",
    modeBarButtons: [["toImage"]],
    showSendToCloud: false,
    showEditInChartStudio: false,
    showLink: false,
    toImageButtonOptions: { format: "png", scale: 2 },
  };

  function script(name) {
    return new Promise(function (resolve, reject) {
      var element = document.createElement("script");
      element.src = new URL("../vendor/" + name, here).href;
      element.onload = resolve;
      element.onerror = function () { reject(new Error("无法加载 " + name)); };
      document.head.appendChild(element);
    });
  }

  function loadPlotly() {
    if (window.Plotly) { return Promise.resolve(window.Plotly); }
    if (!plotly) {
      plotly = script("plotly-basic.min.js").then(function () {
        return script("plotly-locale-zh-cn.js");
      }).then(function () { return window.Plotly; });
    }
    return plotly;
  }

  function axisKeys(layout) {
    return Object.keys(layout).filter(function (key) { return /^[xy]axis[0-9]*$/.test(key); });
  }

  // Small multiples (a figure whose layout has a grid and meta.panels, see render/charts_regions.py) are laid
  // out here for the width they are drawn at: one per row up to NARROW px, else three across; each panel's
  // title is wrapped to its panel's width and the row is made tall enough for it, so titles never overlap.
  var NARROW = 600;
  var PANEL = { plot: 160, ticks: 36, gap: 56, line: 16, font: 12, legend: 36, tick: 30 };

  function wrapped(text, width) {
    var units = Math.max(4, Math.floor(width / PANEL.font));
    var lines = [];
    var line = "";
    var used = 0;
    (text.match(/&[a-z]+;|[\s\S]/g) || []).forEach(function (character) {
      var size = /^[\x00-\xff]$/.test(character) || character.charAt(0) === "&" ? 0.6 : 1;
      if (used + size > units && line) {
        lines.push(line);
        line = "";
        used = 0;
      }
      line += character;
      used += size;
    });
    if (line) { lines.push(line); }
    return lines;
  }

  function smallMultiples(layout, width) {
    var count = layout.meta.panels;
    var columns = width <= NARROW ? 1 : Math.min(3, count);
    var margin = Object.assign({}, layout.margin || {}, { t: PANEL.legend });
    var plotWidth = Math.max(120, width - (margin.l || 0) - (margin.r || 0));
    var gap = columns > 1 ? PANEL.gap : 0;
    var panelWidth = (plotWidth - gap * (columns - 1)) / columns;
    var titles = (layout.annotations || []).slice(0, count).map(function (annotation) {
      return wrapped(annotation.text.split("<br>").join(""), panelWidth);
    });
    var rows = Math.ceil(count / columns);
    var heads = [];
    for (var row = 0; row < rows; row += 1) {
      var most = 1;
      for (var i = row * columns; i < Math.min(count, (row + 1) * columns); i += 1) {
        most = Math.max(most, titles[i].length);
      }
      heads.push(most * PANEL.line + 8);
    }
    var tops = [];
    var total = 0;
    heads.forEach(function (head) {
      tops.push(total + head);
      total += head + PANEL.plot + PANEL.ticks;
    });
    delete layout.grid;
    layout.margin = margin;
    layout.height = Math.round(total + margin.t + (margin.b || 0) - PANEL.ticks);
    var inner = total - PANEL.ticks;
    layout.legend = Object.assign({}, layout.legend, { y: 1, yanchor: "bottom" });
    for (var index = 0; index < count; index += 1) {
      var suffix = index === 0 ? "" : String(index + 1);
      var left = (index % columns) * (panelWidth + gap) / plotWidth;
      var top = tops[Math.floor(index / columns)];
      var axis = Object.assign({}, layout["xaxis" + suffix], {
        domain: [left, Math.min(1, left + panelWidth / plotWidth)],
        anchor: "y" + suffix,
        tickangle: 0,
      });
      if (Array.isArray(axis.tickvals) && Array.isArray(axis.ticktext)) {
        // every month where there is room for it, else every second or third month: ticks stay upright
        var step = Math.ceil(PANEL.tick / (panelWidth / Math.max(1, axis.tickvals.length)));
        var keep = function (value, position) { return position % step === 0; };
        axis.tickvals = axis.tickvals.filter(keep);
        axis.ticktext = axis.ticktext.filter(keep);
      }
      layout["xaxis" + suffix] = axis;
      layout["yaxis" + suffix] = Object.assign({}, layout["yaxis" + suffix], {
        domain: [Math.max(0, 1 - (top + PANEL.plot) / inner), 1 - top / inner],
        anchor: "x" + suffix,
      });
      Object.assign(layout.annotations[index], {
        text: titles[index].join("<br>"),
        y: 1,
        yshift: 4,
        font: { size: PANEL.font },
      });
    }
    return columns;
  }

  function themed(figure, width) {
    var dark = document.body.getAttribute("data-md-color-scheme") === "slate";
    var style = getComputedStyle(document.body);
    var fg = style.getPropertyValue("--md-default-fg-color").trim() || (dark ? "#e2e4e9" : "#202124");
    var grid = dark ? "rgba(255,255,255,0.14)" : "rgba(0,0,0,0.10)";
    var layout = JSON.parse(JSON.stringify(figure.layout || {}));
    layout.paper_bgcolor = "rgba(0,0,0,0)";
    layout.plot_bgcolor = "rgba(0,0,0,0)";
    layout.font = Object.assign({}, layout.font || {}, { color: fg, family: style.fontFamily });
    layout.autosize = true;
    if (layout.grid && layout.meta && layout.meta.panels && width > 0) {
      smallMultiples(layout, width);
    }
    axisKeys(layout).concat(["xaxis", "yaxis"]).forEach(function (key) {
      layout[key] = Object.assign({}, layout[key] || {}, { gridcolor: grid, zerolinecolor: grid, linecolor: grid });
    });
    return {
      data: figure.data || [],
      layout: layout,
      config: CONFIG,
    };
  }

  function load(url) {
    if (!cache[url]) {
      cache[url] = fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) { throw new Error(response.status + " " + url); }
        return response.json();
      });
    }
    return cache[url];
  }

  function draw(element) {
    var url = new URL(element.getAttribute("data-chart"), document.baseURI).href;
    return Promise.all([load(url), loadPlotly()]).then(function (loaded) {
      var figure = loaded[0];
      var width = element.clientWidth;
      var f = themed(figure, width);
      element.setAttribute("data-width", String(width));
      return window.Plotly.react(element, f.data, f.layout, f.config);
    }).then(function () {
      element.setAttribute("data-drawn", "true");
    }).catch(function (error) {
      element.setAttribute("data-drawn", "error");
      element.textContent = "图表无法显示，请查看下方数据表。（" + error.message + "）";
    });
  }

  function focusableScrolling() {
    // a table wider than the page scrolls inside its wrapper: keyboard users must be able to reach it
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (element) {
      if (element.scrollWidth > element.clientWidth && !element.hasAttribute("tabindex")) {
        element.setAttribute("tabindex", "0");
      }
    });
  }

  function drawAll() {
    focusableScrolling();
    var elements = document.querySelectorAll(".bulletin-chart[data-chart]");
    return Promise.all(Array.prototype.map.call(elements, draw));
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { drawAll(); });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }

  new MutationObserver(function () { drawAll(); }).observe(document.body, {
    attributes: true,
    attributeFilter: ["data-md-color-scheme"],
  });

  // a chart is laid out for the width it was drawn at (small multiples above): draw it again when that changes
  var resizing = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () {
      document.querySelectorAll(".bulletin-chart[data-drawn=true][data-width]").forEach(function (element) {
        if (String(element.clientWidth) !== element.getAttribute("data-width")) { draw(element); }
      });
    }, 200);
  });

  window.addEventListener("beforeprint", function () {
    document.querySelectorAll(".bulletin-chart[data-drawn=true]").forEach(function (element) {
      if (window.Plotly) { window.Plotly.Plots.resize(element); }
    });
  });
})();
