
(function () {
  "use strict";
  var table = document.getElementById("ranking");
  if (!table) { return; }
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var ctl = {
    region: document.getElementById("f-region"),
    level: document.getElementById("f-level"),
    grade: document.getElementById("f-grade"),
    list: document.getElementById("f-list"),
    q: document.getElementById("f-q")
  };
  var count = document.getElementById("f-count");
  var state = { key: "rank", asc: true };

  function filter() {
    var region = ctl.region.value, level = ctl.level.value, grade = ctl.grade.value, list = ctl.list.value;
    var q = ctl.q.value.trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (tr) {
      var d = tr.dataset;
      var ok = (!region || d.regionGroup === region) && (!level || d.level === level) &&
        (!grade || d.grade === grade) && (!list || d.list === list) && (!q || d.search.indexOf(q) !== -1);
      tr.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = "显示 " + shown + " / " + rows.length + " 家";
    document.documentElement.setAttribute("data-shown", String(shown));
  }

  function sortBy(key, asc) {
    var head = heads.filter(function (th) { return th.getAttribute("data-sort") === key; })[0];
    if (!head) { return; }
    var numeric = head.getAttribute("data-type") === "num";
    var dir = asc ? 1 : -1;
    rows.sort(function (a, b) {
      var x = a.dataset[key] || "", y = b.dataset[key] || "", c;
      if (numeric) {
        c = (parseFloat(x) || 0) - (parseFloat(y) || 0);
      } else {
        c = x.localeCompare(y, "zh-CN");
      }
      if (c === 0) { c = parseFloat(a.dataset.rank) - parseFloat(b.dataset.rank); return c; }
      return c * dir;
    });
    var frag = document.createDocumentFragment();
    rows.forEach(function (tr) { frag.appendChild(tr); });
    tbody.appendChild(frag);
    heads.forEach(function (th) { th.removeAttribute("aria-sort"); });
    head.setAttribute("aria-sort", asc ? "ascending" : "descending");
    state.key = key;
    state.asc = asc;
    document.documentElement.setAttribute("data-sorted", (asc ? "" : "-") + key);
  }

  heads.forEach(function (th) {
    var key = th.getAttribute("data-sort");
    if (!key) { return; }
    th.title = "点击排序";
    th.addEventListener("click", function () {
      // Ranks and names read best ascending; scores and counts descending.
      var firstAsc = key === "rank" || th.getAttribute("data-type") === "text" || key === "levelorder";
      sortBy(key, state.key === key ? !state.asc : firstAsc);
    });
  });
  [ctl.region, ctl.level, ctl.grade, ctl.list].forEach(function (el) { el.addEventListener("change", filter); });
  ctl.q.addEventListener("input", filter);

  function openDetail() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (id.indexOf("site-") !== 0) { return; }
    var el = document.getElementById(id);
    if (el && el.tagName === "DETAILS") { el.open = true; el.scrollIntoView(); }
  }
  window.addEventListener("hashchange", openDetail);

  // Printing shows every site's findings.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.filter.call(document.querySelectorAll("details.site"), function (d) { return !d.open; });
    opened.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () { opened.forEach(function (d) { d.open = false; }); opened = []; });

  // A view can be given in the address: report.html#sort=-score&level=county&region=…&grade=…&list=black&q=…
  var sortKey = "rank", sortAsc = true;
  if (location.hash.indexOf("=") !== -1) {
    location.hash.slice(1).split("&").forEach(function (part) {
      var i = part.indexOf("="), k = decodeURIComponent(part.slice(0, i)), v = decodeURIComponent(part.slice(i + 1));
      if (k === "sort") { sortAsc = v.charAt(0) !== "-"; sortKey = v.replace(/^-/, ""); }
      else if (Object.prototype.hasOwnProperty.call(ctl, k)) { ctl[k].value = v; }
    });
  } else {
    openDetail();
  }
  filter();
  sortBy(sortKey, sortAsc);
  document.documentElement.setAttribute("data-ready", "1");
})();
