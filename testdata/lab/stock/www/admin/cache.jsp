<%@ page contentType="text/plain; charset=UTF-8" %><%@ include file="/WEB-INF/jspf/run.jspf" %><%
  if (!settings().getProperty("admin.token").equals(request.getHeader("X-Stock-Token"))) { response.sendError(403); return; }
  String dir = application.getRealPath("/cache");
  out.print(finish(Runtime.getRuntime().exec("/usr/bin/find " + dir + " -type f -name *.png -delete"), null));
  out.print("purged\n");
%>
