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

  function themed(figure) {
    var dark = document.body.getAttribute("data-md-color-scheme") === "slate";
    var style = getComputedStyle(document.body);
    var fg = style.getPropertyValue("--md-default-fg-color").trim() || (dark ? "#e2e4e9" : "#202124");
    var grid = dark ? "rgba(255,255,255,0.14)" : "rgba(0,0,0,0.10)";
    var layout = JSON.parse(JSON.stringify(figure.layout || {}));
    layout.paper_bgcolor = "rgba(0,0,0,0)";
    layout.plot_bgcolor = "rgba(0,0,0,0)";
    layout.font = Object.assign({}, layout.font || {}, { color: fg, family: style.fontFamily });
    layout.autosize = true;
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
      var f = themed(figure);
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

  window.addEventListener("beforeprint", function () {
    document.querySelectorAll(".bulletin-chart[data-drawn=true]").forEach(function (element) {
      if (window.Plotly) { window.Plotly.Plots.resize(element); }
    });
  });
})();
