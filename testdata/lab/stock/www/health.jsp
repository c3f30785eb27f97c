<%@ page contentType="text/plain; charset=UTF-8" %><%@ include file="/WEB-INF/jspf/run.jspf" %><%
  String df = finish(Runtime.getRuntime().exec("/usr/bin/df -P /srv/stock"), null);
  out.print(df.contains("/") ? "ok\n" : "degraded\n");
%>
