<%@ page contentType="text/html; charset=UTF-8" %><%@ include file="/WEB-INF/jspf/run.jspf" %><%
  String sku = String.valueOf(request.getParameter("sku"));
  String[] found = null;
  for (String[] it : items()) if (it[0].equals(sku)) found = it;
  if (found == null) { response.sendError(404); return; }
%><!doctype html><html><head><title><%= esc(found[1]) %></title><link rel="stylesheet" href="css/site.css"></head><body>
<h1><%= esc(found[1]) %></h1><img src="thumb.jsp?sku=<%= found[0] %>&amp;w=160" alt="">
<p>SKU <%= found[0] %>, <%= found[2] %> in stock at <%= found[3] %> (reorder below <%= found[4] %>)</p>
<form action="label.jsp"><input type="hidden" name="sku" value="<%= found[0] %>"><input name="copies" value="1"><button>Print labels</button></form>
</body></html>
