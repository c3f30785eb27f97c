<%@ page contentType="text/plain; charset=UTF-8" %><%@ include file="/WEB-INF/jspf/run.jspf" %><%
  String name = "items-" + new java.text.SimpleDateFormat("yyyyMMdd-HHmmss").format(new Date()) + ".csv.gz";
  String cmd = "/usr/bin/sort -t, -k1,1 /srv/stock/data/items.csv | /usr/bin/gzip -c > /srv/stock/exports/" + name;
  finish(new ProcessBuilder("/bin/sh", "-c", cmd).redirectErrorStream(true).start(), null);
  out.print("exported " + name + "\n");
%>
