<%@ page contentType="text/plain; charset=UTF-8" %><%@ include file="/WEB-INF/jspf/run.jspf" %><%
  if (!"POST".equals(request.getMethod())) { response.sendError(405); return; }
  if (!settings().getProperty("admin.token").equals(request.getHeader("X-Stock-Token"))) { response.sendError(403); return; }
  File f = new File("/srv/stock/incoming", "delivery-" + System.currentTimeMillis() + ".csv");
  try (InputStream in = request.getInputStream()) { Files.copy(in, f.toPath()); }
  out.print(finish(Runtime.getRuntime().exec(new String[] {"/usr/local/bin/stockimport", f.getPath()}), null));
%>
