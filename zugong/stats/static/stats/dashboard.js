/* 统计总览 charts: reads the data from <script id="stats-charts"> and draws them with the local ECharts. */
(function () {
  "use strict";
  var node = document.getElementById("stats-charts");
  if (!node || !window.echarts) { return; }
  var d = JSON.parse(node.textContent);
  // counts grouped by three as the page prints them (250,018); years and codes never reach a chart value
  var grouped = function (v) { return typeof v === "number" ? v.toLocaleString("en-US") : v; };
  var groupedLabel = function (p) { return grouped(p.value); };
  var red = ["#b5121b", "#e0620d", "#f2a900", "#2f7ed8", "#5b8c5a", "#8e6bbf", "#6b7280", "#c2185b"];
  function draw(id, option) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var chart = echarts.init(el, null, { renderer: "svg" });
    option.color = option.color || red;
    option.animation = false;
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  }
  function bar(id, rows, horizontal) {
    var names = rows.map(function (r) { return r[0]; });
    var values = rows.map(function (r) { return r[1]; });
    // every band's label; a long one ("40至不满45岁") goes on two lines after 至 instead of running into the next
    var wrap = function (v) { return v.length > 5 ? v.replace("至", "至\n") : v; };
    var cat = { type: "category", data: names,
      axisLabel: horizontal ? { interval: 0, fontSize: 11 } : { interval: 0, fontSize: 11, lineHeight: 13, formatter: wrap } };
    var val = { type: "value", axisLabel: { formatter: grouped } };
    draw(id, {
      tooltip: { trigger: "axis", valueFormatter: grouped },
      grid: { left: horizontal ? 200 : 50, right: 30, top: 20, bottom: horizontal ? 20 : 60 },
      xAxis: horizontal ? val : cat,
      yAxis: horizontal ? Object.assign({}, cat, { inverse: true }) : val,
      series: [{ type: "bar", data: values, label: { show: true, position: horizontal ? "right" : "top", formatter: groupedLabel } }]
    });
  }
  function pie(id, rows) {
    draw(id, {
      tooltip: { trigger: "item", formatter: function (p) { return p.name + "：" + grouped(p.value) + "（" + p.percent + "%）"; } },
      legend: { bottom: 0 },
      series: [{ type: "pie", radius: ["35%", "65%"], label: { formatter: "{b} {d}%" },
        // an empty slice keeps its legend entry but no label: stacked labels of 0% slices overlapped
        data: rows.map(function (r) {
          var empty = !r[1];
          return { name: r[0], value: r[1], label: { show: !empty }, labelLine: { show: !empty } };
        }) }]
    });
  }
  bar("chart-age", d.age);
  pie("chart-gender", d.gender);
  bar("chart-education", d.education);
  bar("chart-occupation", d.occupation, true);
  pie("chart-orgs", d.orgs);
  draw("chart-cadres", {
    tooltip: { trigger: "axis", valueFormatter: grouped }, legend: { top: 0 },
    grid: { left: 50, right: 20, top: 30, bottom: 40 },
    xAxis: { type: "category", data: d.cadre_bands, axisLabel: { interval: 0, fontSize: 11 } },
    yAxis: { type: "value", axisLabel: { formatter: grouped } },
    series: d.cadres.map(function (s) { return { name: s.name, type: "bar", data: s.data, label: { show: true, position: "top", formatter: groupedLabel } }; })
  });
  bar("chart-teams", d.team_hist);
})();
