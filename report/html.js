(function () {
  "use strict";
  // Findings table: filter by text and minimal severity, sort by a column.
  var table = document.getElementById("findings");
  if (table && table.tBodies.length) {
    var body = table.tBodies[0];
    var filter = document.getElementById("filter");
    var minsev = document.getElementById("minsev");
    var shown = document.getElementById("shown");
    var apply = function () {
      var text = filter.value.toLowerCase();
      var min = Number(minsev.value);
      var n = 0;
      Array.prototype.forEach.call(body.rows, function (row) {
        var ok = Number(row.getAttribute("data-sev")) >= min &&
          (text === "" || row.textContent.toLowerCase().indexOf(text) >= 0);
        row.hidden = !ok;
        if (ok) { n++; }
      });
      shown.textContent = String(n);
    };
    filter.addEventListener("input", apply);
    minsev.addEventListener("change", apply);
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, col) {
      var kind = th.getAttribute("data-sort");
      if (!kind) { return; }
      th.tabIndex = 0;
      var sort = function () {
        var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
        var key = function (row) {
          var cell = row.cells[col];
          var v = cell.getAttribute("data-v");
          if (v === null) { v = cell.textContent; }
          return kind === "num" ? Number(v) : v.toLowerCase();
        };
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          if (x < y) { return -dir; }
          if (x > y) { return dir; }
          return a.id < b.id ? -1 : 1;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      };
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); }
      });
    });
  }
  // Print everything: closed branches and raw records would be lost on paper.
  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) { d.open = true; });
  });
}());
