<%@ page contentType="text/html; charset=UTF-8" %><%@ include file="/WEB-INF/jspf/run.jspf" %>
<!doctype html><html><head><title>Stockroom</title><link rel="stylesheet" href="css/site.css"></head><body>
<h1>Stockroom</h1><table><tr><th>SKU</th><th>Item</th><th>Qty</th><th>Location</th></tr>
<% for (String[] it : items()) { %>
<tr class="<%= Integer.parseInt(it[2]) < Integer.parseInt(it[4]) ? "low" : "" %>"><td><a href="item.jsp?sku=<%= it[0] %>"><%= esc(it[0]) %></a></td><td><%= esc(it[1]) %></td><td><%= it[2] %></td><td><%= it[3] %></td></tr>
<% } %></table><p><a href="export.jsp">Export CSV</a></p></body></html>
