package org.cephfsjca.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jboss.as.controller.client.ModelControllerClient;
import org.jboss.as.controller.client.Operation;
import org.jboss.as.controller.client.OperationBuilder;
import org.jboss.dmr.ModelNode;
import org.jboss.dmr.Property;

/** The test server's management API (native model operations over HTTP remoting), for the tests' own checks. */
public final class Mgmt implements AutoCloseable {

    private final ModelControllerClient client;
    private final boolean owned;

    private Mgmt(ModelControllerClient client, boolean owned) {
        this.client = client;
        this.owned = owned;
    }

    public static Mgmt connect() {
        return connect(ItEnv.managementPort());
    }

    /** The management API of the server on 127.0.0.1:{@code port} (tests that run servers of their own). */
    public static Mgmt connect(int port) {
        try {
            return new Mgmt(ModelControllerClient.Factory.create("remote+http", "127.0.0.1", port), true);
        } catch (IOException e) {
            throw new AssertionError("cannot create a management client for 127.0.0.1:" + port, e);
        }
    }

    /** Uses a client someone else owns (Arquillian's); {@link #close()} leaves it open. */
    public static Mgmt of(ModelControllerClient client) {
        return new Mgmt(client, false);
    }

    public ModelNode execute(ModelNode op) {
        return execute(Operation.Factory.create(op));
    }

    public ModelNode execute(Operation op) {
        ModelNode r;
        try {
            r = client.execute(op);
        } catch (IOException e) {
            throw new AssertionError("management operation failed to run: " + op.getOperation() + ": " + e, e);
        }
        if (!"success".equals(r.get("outcome").asString())) {
            fail("management operation failed: " + op.getOperation() + "\n-> " + r);
        }
        return r.get("result");
    }

    private static ModelNode op(String name, String... address) {
        ModelNode op = new ModelNode();
        op.get("operation").set(name);
        ModelNode addr = op.get("address").setEmptyList();
        for (int i = 0; i < address.length; i += 2) {
            addr.add(address[i], address[i + 1]);
        }
        return op;
    }

    public boolean deploymentExists(String name) {
        try {
            ModelNode r = client.execute(op("read-resource", "deployment", name));
            return "success".equals(r.get("outcome").asString());
        } catch (IOException e) {
            throw new AssertionError("cannot ask the server for deployment " + name, e);
        }
    }

    /** Deploys {@code file} under {@code name} (content streamed to the server); returns the time it took. */
    public long deploy(String name, Path file) {
        long t0 = System.nanoTime();
        ModelNode add = op("add", "deployment", name);
        add.get("content").add().get("input-stream-index").set(0);
        add.get("enabled").set(true);
        try (InputStream in = Files.newInputStream(file)) {
            execute(new OperationBuilder(add).addInputStream(in).build());
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        System.out.printf("[it] deployed %s in %d ms%n", name, ms);
        return ms;
    }

    /** Undeploys and removes {@code name} if it is there. */
    public void undeploy(String name) {
        if (deploymentExists(name)) {
            long t0 = System.nanoTime();
            execute(op("remove", "deployment", name));
            System.out.printf("[it] undeployed %s in %d ms%n", name,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        }
    }

    /** Runs {@code name} on the resource at {@code address} (name/value pairs); fails unless it succeeds. */
    public ModelNode run(String name, Map<String, String> params, String... address) {
        ModelNode op = op(name, address);
        params.forEach((k, v) -> op.get(k).set(v));
        return execute(op);
    }

    /** True if the resource at {@code address} (name/value pairs) exists. */
    public boolean exists(String... address) {
        try {
            return "success".equals(client.execute(op("read-resource", address)).get("outcome").asString());
        } catch (IOException e) {
            throw new AssertionError("cannot read " + String.join("/", address), e);
        }
    }

    /**
     * An Elytron encrypted expression ({@code ${ENC::resolver:...}}) for {@code clearText}, made with a secret key
     * kept in a secret-key credential store in the server's data dir; the store and the resolver are created on first
     * use, as an operator would (docs/wildfly.md, "The cephx key").
     */
    public String encryptedExpression(String clearText) {
        if (!exists("subsystem", "elytron", "secret-key-credential-store", "cephfs-jca-keys")) {
            run("add", Map.of("path", "cephfs-jca-keys.cs", "relative-to", "jboss.server.data.dir"),
                    "subsystem", "elytron", "secret-key-credential-store", "cephfs-jca-keys");
        }
        if (!exists("subsystem", "elytron", "expression", "encryption")) {
            ModelNode add = op("add", "subsystem", "elytron", "expression", "encryption");
            ModelNode resolver = add.get("resolvers").add();
            resolver.get("name").set("cephfs-jca");
            resolver.get("credential-store").set("cephfs-jca-keys");
            resolver.get("secret-key").set("key");
            execute(add);
        }
        ModelNode create = op("create-expression", "subsystem", "elytron", "expression", "encryption");
        create.get("resolver").set("cephfs-jca");
        create.get("clear-text").set(clearText);
        return execute(create).get("expression").asString();
    }

    /** The pool statistics of the adapter's connection definition, by WildFly's attribute names. */
    public Map<String, Long> poolStatistics() {
        ModelNode read = op("read-resource", "subsystem", "resource-adapters", "resource-adapter", ItEnv.RA,
                "connection-definitions", ItEnv.CD, "statistics", "pool");
        read.get("include-runtime").set(true);
        Map<String, Long> out = new LinkedHashMap<>();
        for (Property p : execute(read).asPropertyList()) {
            if (p.getValue().isDefined() && p.getName().matches("[A-Z].*")) {
                try {
                    out.put(p.getName(), p.getValue().asLong());
                } catch (IllegalArgumentException notNumeric) {
                    // ignore
                }
            }
        }
        return out;
    }

    public String serverState() {
        ModelNode read = op("read-attribute");
        read.get("name").set("server-state");
        return execute(read).asString();
    }

    /**
     * The server settings of example-app/src/main/cli/configure-example.cli: the http-listener's max-post-size 0 (no
     * limit: the app streams uploads of any size; the default refuses bodies over 10 MiB) and decode-url false (so
     * that malformed percent-encoding reaches the app, which answers it with a JSON 400). Reloads when anything
     * changed.
     */
    public void applyExampleServerSettings() {
        boolean changed = writeListener("max-post-size", new ModelNode(0L));
        changed |= writeListener("decode-url", new ModelNode(false));
        if (changed) {
            reloadAndWait();
        }
    }

    private boolean writeListener(String attribute, ModelNode value) {
        String[] listener = {"subsystem", "undertow", "server", "default-server", "http-listener", "default"};
        ModelNode read = op("read-attribute", listener);
        read.get("name").set(attribute);
        if (execute(read).asString().equals(value.asString())) {
            return false;
        }
        ModelNode write = op("write-attribute", listener);
        write.get("name").set(attribute);
        write.get("value").set(value);
        execute(write);
        return true;
    }

    /** Sets (or replaces) a system property of the server. */
    public void setSystemProperty(String name, String value) {
        removeSystemProperty(name);
        run("add", Map.of("value", value), "system-property", name);
    }

    public void removeSystemProperty(String name) {
        if (exists("system-property", name)) {
            run("remove", Map.of(), "system-property", name);
        }
    }

    /** Waits until the server reports "running" (after a reload someone else asked for, e.g. a CLI script's). */
    public void awaitRunning() {
        long t0 = System.nanoTime();
        long deadline = t0 + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            try {
                ModelNode read = op("read-attribute");
                read.get("name").set("server-state");
                ModelNode r = client.execute(read);
                if ("success".equals(r.get("outcome").asString()) && "running".equals(r.get("result").asString())) {
                    return;
                }
                TimeUnit.MILLISECONDS.sleep(200);
            } catch (IOException reloading) {
                // the connection drops while the server reloads
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for the server", e);
            }
        }
        fail("the server did not report running within 120 s");
    }

    /** The runtime attributes of {@code statistics=extended} under the resource at {@code address}. */
    public ModelNode extendedStatistics(String... address) {
        String[] full = java.util.Arrays.copyOf(address, address.length + 2);
        full[address.length] = "statistics";
        full[address.length + 1] = "extended";
        ModelNode read = op("read-resource", full);
        read.get("include-runtime").set(true);
        return execute(read);
    }

    /** The attribute descriptions (types) of {@code statistics=extended} under the resource at {@code address}. */
    public ModelNode extendedStatisticsDescription(String... address) {
        String[] full = java.util.Arrays.copyOf(address, address.length + 2);
        full[address.length] = "statistics";
        full[address.length + 1] = "extended";
        return execute(op("read-resource-description", full)).get("attributes");
    }

    /** Runs {@code operation} (no parameters) on the resource at {@code address}. */
    public ModelNode invoke(String operation, String... address) {
        return execute(op(operation, address));
    }

    /** Writes {@code attribute} of the resource at {@code address}. */
    public void write(String attribute, ModelNode value, String... address) {
        ModelNode write = op("write-attribute", address);
        write.get("name").set(attribute);
        write.get("value").set(value);
        execute(write);
    }

    /** {@code :reload}, then waits until the server reports "running" again. */
    public void reloadAndWait() {
        long t0 = System.nanoTime();
        try {
            ModelNode r = client.execute(op("reload"));
            if (!"success".equals(r.get("outcome").asString())) {
                fail("management operation failed: reload\n-> " + r);
            }
        } catch (IOException e) {
            // the reload may close the management channel before its answer arrives (measured: "JBTHR00004:
            // Operation was cancelled"); whether it is under way shows below
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            try {
                TimeUnit.MILLISECONDS.sleep(200);
                ModelNode read = op("read-attribute");
                read.get("name").set("server-state");
                ModelNode r = client.execute(read);
                if ("success".equals(r.get("outcome").asString()) && "running".equals(r.get("result").asString())) {
                    System.out.printf("[it] server reloaded in %d ms%n",
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                    return;
                }
            } catch (IOException reloading) {
                // the connection drops while the server reloads
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for the reload", e);
            }
        }
        fail("the server did not come back from :reload within 120 s");
    }

    @Override
    public void close() {
        if (!owned) {
            return;
        }
        try {
            client.close();
        } catch (IOException e) {
            // closing
        }
    }
}
