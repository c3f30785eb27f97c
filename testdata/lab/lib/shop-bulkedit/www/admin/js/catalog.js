// Back office catalog: bulk edit of a column (preview first, then apply).
(function () {
  var f = document.getElementById('bulk');
  f.addEventListener('click', function (e) {
    var mode = e.target.getAttribute('data-mode');
    if (!mode) return;
    e.preventDefault();
    var rows = Array.prototype.map.call(document.querySelectorAll('td:' + (f.col.value === 'price' ? 'last' : 'first') + '-child'),
      function (td) { return td.textContent; });
    var body = new URLSearchParams({ op: f.op.value, col: f.col.value, mode: mode });
    rows.forEach(function (r) { body.append('rows[]', r); if (f.op.value === 'number_format') body.append('args[]', '2'); });
    fetch('/admin/ajax/bulk.php', { method: 'POST', body: body, credentials: 'same-origin' })
      .then(function (r) { return r.text(); })
      .then(function (t) { document.getElementById('out').textContent = t; });
  });
})();
