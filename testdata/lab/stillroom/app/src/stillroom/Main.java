package stillroom;

import java.io.*;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;
import javax.servlet.http.*;
import org.eclipse.jetty.server.*;
import org.eclipse.jetty.server.handler.*;
import org.eclipse.jetty.servlet.*;

/** Stillroom: Glenhaugh Distillery's batch and cask ledger, an embedded Jetty 9.4 server. */
public class Main {
    static final Path ROOT = Paths.get("/srv/stillroom");
    static final Path DATA = ROOT.resolve("data"), WIDGETS = ROOT.resolve("widgets"), CACHE = Paths.get("/var/lib/stillroom/labels");
    static Properties props = new Properties();

    static List<String[]> batches() throws IOException {
        List<String[]> out = new ArrayList<>();
        for (String l : Files.readAllLines(DATA.resolve("batches.csv"))) if (!l.startsWith("id,")) out.add(l.split(","));
        return out;
    }
    static String page(String title, String body) {
        return "<!doctype html><html><head><title>" + title + " - Stillroom</title><link rel=stylesheet href=/static/still.css></head><body><h1>"
            + title + "</h1>" + body + "<footer>Stillroom 2.4 - Glenhaugh Distillery</footer></body></html>";
    }
    static String esc(String s) { return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;"); }
    static byte[] run(List<String> argv, byte[] stdin) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        if (stdin != null) { p.getOutputStream().write(stdin); }
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        p.waitFor();
        return out;
    }
    static void send(HttpServletResponse r, int code, String type, byte[] b) throws IOException {
        r.setStatus(code); r.setContentType(type); r.getOutputStream().write(b);
    }
    static void html(HttpServletResponse r, int code, String s) throws IOException { send(r, code, "text/html;charset=utf-8", s.getBytes(StandardCharsets.UTF_8)); }

    /** the saved report view of the srview cookie (or ?view=): base64 Java serialization */
    static ReportView view(HttpServletRequest q) {
        String v = q.getParameter("view");
        if (v == null && q.getCookies() != null) for (Cookie c : q.getCookies()) if (c.getName().equals("srview")) v = c.getValue();
        if (v == null || v.isEmpty()) return new ReportView();
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(Base64.getUrlDecoder().decode(v.trim())))) {
            return (ReportView) in.readObject();
        } catch (Exception e) {
            System.err.println("srview: " + e);
            return new ReportView();
        }
    }

    public static class App extends HttpServlet {
        @Override protected void service(HttpServletRequest q, HttpServletResponse r) throws IOException {
            String p = q.getRequestURI();
            try {
                if (p.equals("/")) {
                    StringBuilder sb = new StringBuilder("<table><tr><th>batch<th>spirit<th>cask<th>warehouse<th>litres</tr>");
                    for (String[] b : batches()) sb.append("<tr><td><a href=/batch?id=").append(b[0]).append(">").append(b[0]).append("</a><td>")
                        .append(esc(b[1])).append("<td>").append(esc(b[2])).append("<td>").append(esc(b[3])).append("<td>").append(b[4]).append("</tr>");
                    html(r, 200, page("Casks in bond", sb + "</table>"));
                } else if (p.equals("/batch")) {
                    String id = q.getParameter("id");
                    for (String[] b : batches()) if (b[0].equals(id)) {
                        html(r, 200, page("Batch " + esc(id), "<p>" + esc(b[1]) + ", " + esc(b[2]) + " in warehouse " + esc(b[3]) + ": " + b[4]
                            + " l</p><img src=/label?id=" + esc(id) + "&w=320>"));
                        return;
                    }
                    html(r, 404, page("No such batch", ""));
                } else if (p.equals("/label")) {
                    String id = q.getParameter("id"); int w = Integer.parseInt(Optional.ofNullable(q.getParameter("w")).orElse("320"));
                    if (id == null || !id.matches("[A-Z0-9-]{3,20}") || w < 16 || w > 2000) { html(r, 400, page("Bad label", "")); return; }
                    Path out = CACHE.resolve(id + "-" + w + ".png");
                    if (!Files.exists(out)) run(List.of("/usr/bin/convert", DATA.resolve("labels/" + id.substring(0, 2) + ".png").toString(), "-resize", w + "x", out.toString()), null);
                    send(r, 200, "image/png", Files.readAllBytes(out));
                } else if (p.equals("/healthz")) {
                    send(r, 200, "text/plain", run(List.of("/bin/df", "-P", "/srv/stillroom"), null));
                } else if (p.equals("/order") && q.getMethod().equals("POST")) {
                    String msg = "To: " + props.getProperty("mail.sales") + "\nFrom: stillroom@glenhaugh.example\nSubject: cask enquiry " + q.getParameter("batch")
                        + "\n\n" + q.getParameter("email") + " asks: " + q.getParameter("message") + "\n";
                    run(List.of("/usr/sbin/sendmail", "-t", "-i"), msg.getBytes(StandardCharsets.UTF_8));
                    html(r, 200, page("Thank you", "<p>The sales office will answer soon.</p>"));
                } else if (p.equals("/report")) {
                    ReportView v = view(q);
                    StringBuilder sb = new StringBuilder("id,spirit,cask,warehouse,litres\n");
                    for (String[] b : batches()) if (v.warehouse.isEmpty() || b[3].equals(v.warehouse)) sb.append(String.join(",", b)).append("\n");
                    if ("csv.gz".equals(q.getParameter("fmt"))) {
                        send(r, 200, "application/gzip", run(List.of("/bin/gzip", "-c", "-n"), sb.toString().getBytes(StandardCharsets.UTF_8)));
                    } else html(r, 200, page("Report", "<pre>" + esc(sb.toString()) + "</pre><p>view: " + esc(String.join(",", v.columns)) + " by " + esc(v.sort) + "</p>"));
                } else if (p.startsWith("/widgets/")) {
                    String n = p.substring(9);
                    if (!n.matches("[a-z][a-z0-9]{1,30}")) { html(r, 404, page("No such widget", "")); return; }
                    String cls = Character.toUpperCase(n.charAt(0)) + n.substring(1);
                    if (!Files.exists(WIDGETS.resolve(cls + ".class"))) { html(r, 404, page("No such widget", "")); return; }
                    // a fresh loader per request: a widget class dropped into widgets/ is live at once (hot deploy)
                    try (URLClassLoader l = new URLClassLoader(new URL[]{WIDGETS.toUri().toURL()}, Main.class.getClassLoader())) {
                        Widget w = (Widget) l.loadClass(cls).getDeclaredConstructor().newInstance();
                        send(r, 200, "text/plain;charset=utf-8", w.render(q).getBytes(StandardCharsets.UTF_8));
                    }
                } else html(r, 404, page("Not found", ""));
            } catch (Exception e) {
                System.err.println(p + ": " + e);
                html(r, 500, page("Error", "<p>" + esc(e.toString()) + "</p>"));
            }
        }
    }

    public static void main(String[] a) throws Exception {
        try (InputStream in = Files.newInputStream(ROOT.resolve("conf/stillroom.properties"))) { props.load(in); }
        Server s = new Server();
        ServerConnector c = new ServerConnector(s);
        c.setHost("127.0.0.1"); c.setPort(Integer.parseInt(props.getProperty("http.port", "8230")));
        s.addConnector(c);
        ServletContextHandler ctx = new ServletContextHandler();
        ctx.setContextPath("/");
        ServletHolder st = new ServletHolder("static", DefaultServlet.class);
        st.setInitParameter("resourceBase", ROOT.resolve("static").toString());
        st.setInitParameter("pathInfoOnly", "true");
        st.setInitParameter("dirAllowed", "false");
        ctx.addServlet(st, "/static/*");
        ctx.addServlet(new ServletHolder(new App()), "/");
        s.setHandler(ctx);
        s.setRequestLog(new CustomRequestLog(new RequestLogWriter("/var/log/stillroom/access.log"), CustomRequestLog.EXTENDED_NCSA_FORMAT + " %{ms}T"));
        s.start();
        System.err.println("stillroom listening on 127.0.0.1:" + c.getPort());
        s.join();
    }
}
