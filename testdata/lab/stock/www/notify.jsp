<%@ page contentType="text/plain; charset=UTF-8" %><%@ include file="/WEB-INF/jspf/run.jspf" %><%
  if (!"POST".equals(request.getMethod())) { response.sendError(405); return; }
  Properties s = settings();
  String sku = String.valueOf(request.getParameter("sku")).replaceAll("[^A-Z0-9-]", "");
  String msg = "From: " + s.getProperty("mail.from") + "\nTo: " + s.getProperty("mail.to") + "\nSubject: low stock " + sku
      + "\n\n" + sku + " is below its reorder level (" + String.valueOf(request.getParameter("qty")).replaceAll("[^0-9]", "") + " left).\n";
  finish(new ProcessBuilder("/usr/sbin/sendmail", "-t", "-i").redirectErrorStream(true).start(), msg);
  out.print("sent\n");
%>
