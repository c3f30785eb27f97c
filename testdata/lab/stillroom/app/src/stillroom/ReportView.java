package stillroom;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** A saved report view (columns, sort, filter), kept in the srview cookie as base64 Java serialization. */
public class ReportView implements Serializable {
    private static final long serialVersionUID = 3L;
    public List<String> columns = new ArrayList<>();
    public String sort = "batch";
    public String warehouse = "";
    public ExportHook hook;   // the view's download format, when the staff saved one
}
