<%@ page contentType="text/plain; charset=UTF-8" %><%@ include file="/WEB-INF/jspf/run.jspf" %><%
  String sku = String.valueOf(request.getParameter("sku")), copies = String.valueOf(request.getParameter("copies"));
  if (!sku.matches("[A-Z0-9-]{2,20}") || !copies.matches("[1-9][0-9]?")) { response.sendError(400); return; }
  ProcessBuilder pb = new ProcessBuilder("/usr/local/bin/stocklabel", "--sku", sku, "--copies", copies).redirectErrorStream(true);
  out.print(finish(pb.start(), null));
%>
