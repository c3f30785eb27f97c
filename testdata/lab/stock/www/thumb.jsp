<%@ page contentType="image/png" trimDirectiveWhitespaces="true" %><%@ include file="/WEB-INF/jspf/run.jspf" %><%
  String sku = String.valueOf(request.getParameter("sku")), w = String.valueOf(request.getParameter("w"));
  if (!sku.matches("[A-Z0-9-]{2,20}") || !w.matches("[1-9][0-9]{1,2}")) { response.sendError(400); return; }
  String src = application.getRealPath("/img/" + sku + ".png");
  if (!new File(src).exists()) { response.sendError(404); return; }
  File dst = new File(application.getRealPath("/cache"), sku + "-" + w + ".png");
  if (!dst.exists()) {
    finish(new ProcessBuilder("/usr/bin/convert", src, "-thumbnail", w + "x" + w, dst.getPath()).redirectErrorStream(true).start(), null);
  }
  response.setContentType("image/png");
  try (OutputStream o = response.getOutputStream()) { Files.copy(dst.toPath(), o); }
%>
