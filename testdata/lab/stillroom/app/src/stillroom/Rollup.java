package stillroom;

import java.nio.file.*;
import java.time.LocalDateTime;
import java.util.*;

/** Root's every-minute rollup: cask totals per warehouse from data/batches.csv into data/rollup.txt. */
public class Rollup {
    public static void main(String[] a) throws Exception {
        Path dir = Paths.get(a.length > 0 ? a[0] : "/srv/stillroom/data");
        Map<String, Double> litres = new TreeMap<>();
        for (String line : Files.readAllLines(dir.resolve("batches.csv"))) {
            String[] f = line.split(",");
            if (f.length < 5 || f[0].equals("id")) continue;
            litres.merge(f[3], Double.parseDouble(f[4]), Double::sum);
        }
        StringBuilder sb = new StringBuilder("rollup " + LocalDateTime.now() + "\n");
        litres.forEach((k, v) -> sb.append(String.format("%s %.1f%n", k, v)));
        Files.write(Paths.get("/var/lib/stillroom/rollup.txt"), sb.toString().getBytes());
        System.out.println("rollup: " + litres.size() + " warehouses at " + LocalDateTime.now());
    }
}
