import java.io.*;
import java.util.*;

/** What the staff's browser holds: a saved report view (columns, sort, warehouse) as the srview cookie (base64url). */
public class SaveView {
    public static void main(String[] a) throws Exception {
        stillroom.ReportView v = new stillroom.ReportView();
        v.warehouse = a[0]; v.sort = a[1];
        v.columns.addAll(Arrays.asList(a).subList(2, a.length));
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(b)) { o.writeObject(v); }
        System.out.println(Base64.getUrlEncoder().withoutPadding().encodeToString(b.toByteArray()));
    }
}
