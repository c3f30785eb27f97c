<%@ page contentType="text/plain; charset=UTF-8" import="java.nio.charset.StandardCharsets" %><%
  // stock-reports add-on: total quantity and items below their reorder level
  Process p = new ProcessBuilder("/usr/bin/awk", "-F,", "NR > 1 { q += $3; if ($3 < $5) low++ } END { print q, low + 0 }",
      "/srv/stock/data/items.csv").redirectErrorStream(true).start();
  p.getOutputStream().close();
  String[] r = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim().split(" ");
  p.waitFor();
  out.print("units in stock: " + r[0] + "\nitems to reorder: " + (r.length > 1 ? r[1] : "?") + "\n");
%>
