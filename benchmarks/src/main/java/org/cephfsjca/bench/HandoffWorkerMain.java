package org.cephfsjca.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.cephfsjca.api.CephConnection;
import org.cephfsjca.libcephfs.CephMount;

/**
 * Child JVM of the hand-off benchmark: one side (H or R) of the two-process rows, through our binding (its own
 * mount) or the adapter (its own node). Arguments: {@code holder|reader binding|adapter [nodeId [leaseIntervalMs]]}.
 * Prints {@code UP} once mounted, then answers {@link HandoffChild}'s commands on stdin, one line each:
 * {@code MKDIR dir} / {@code PREPARED}, {@code HOLD 0|1 path...} / {@code READY path} per file,
 * {@code RELEASE} / {@code RELEASED}, {@code MEASURE path...} / {@code TIMES path statNs readNs} per file then
 * {@code MEASURED}; {@code ERROR ...} when a command fails; {@code QUIT} (or end of input) unmounts and exits.
 */
public final class HandoffWorkerMain {

    private HandoffWorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        String role = args[0];
        String impl = args[1];
        PrintStream out = System.out;
        CephMount mount = null;
        BenchAdapter adapter = null;
        CephConnection connection = null;
        try {
            BatchReader.Access access;
            HandoffHolder holder;
            if (impl.equals("binding")) {
                mount = BindingWorker.mount();
                holder = new HandoffHolder.Binding(mount);
                access = BatchReader.binding(mount);
            } else {
                adapter = BenchAdapter.start(args[2], 2, args.length > 3 ? Integer.valueOf(args[3]) : null);
                connection = adapter.factory.getConnection();
                holder = new HandoffHolder.Adapter(connection);
                access = BatchReader.adapter(connection);
            }
            HandoffReader reader = new BatchReader(access);
            out.println("UP");
            out.flush();
            serve(role, holder, reader, out);
            holder.close();
        } finally {
            if (connection != null) {
                connection.close();
            }
            if (adapter != null) {
                adapter.close();
            }
            if (mount != null) {
                mount.close();
            }
        }
        System.exit(0); // libcephfs' non-daemon threads must not keep the child alive
    }

    private static void serve(String role, HandoffHolder holder, HandoffReader reader, PrintStream out)
            throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null && !line.equals("QUIT"); line = in.readLine()) {
            String[] f = line.split(" ");
            try {
                switch (role + " " + f[0]) {
                    case "holder MKDIR" -> {
                        holder.prepare(f[1]);
                        out.println("PREPARED");
                    }
                    case "holder HOLD" -> {
                        List<String> paths = Arrays.asList(f).subList(2, f.length);
                        holder.hold(paths, f[1].equals("1"));
                        paths.forEach(p -> out.println("READY " + p));
                    }
                    case "holder RELEASE" -> {
                        holder.release();
                        out.println("RELEASED");
                    }
                    case "reader MEASURE" -> {
                        List<String> paths = Arrays.asList(f).subList(1, f.length);
                        long[][] t = reader.measure(paths);
                        for (int i = 0; i < paths.size(); i++) {
                            out.println("TIMES " + paths.get(i) + " " + t[i][0] + " " + t[i][1]);
                        }
                        out.println("MEASURED");
                    }
                    default -> throw new IllegalArgumentException("a " + role + " does not understand " + f[0]);
                }
            } catch (Exception e) {
                e.printStackTrace();
                out.println("ERROR " + String.valueOf(e).replace('\n', ' '));
            }
            out.flush();
        }
    }
}
