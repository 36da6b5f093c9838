package org.cephfsjca.adapter.prestart;

import java.io.PrintStream;
import java.util.Map;

import org.cephfsjca.adapter.config.AdapterConfig;
import org.cephfsjca.adapter.config.InvalidConfigurationException;
import org.cephfsjca.adapter.recovery.NodeIdConflictException;
import org.cephfsjca.adapter.recovery.RecoveryFailedException;
import org.cephfsjca.api.RecoveryReport;

/**
 * The pre-start reset: the adapter's start-time recovery for one node id, run before the server boots (systemd's
 * ExecStartPre, docs/wildfly.md), so that a crashed server's locks are free about a second after the restart command
 * instead of after the server's whole boot. The adapter's own start then finds nothing left to reset.
 *
 * <p>Prints the recovery report's one line on stdout; messages go to stderr. Exit codes: {@value #OK} reset done
 * (or nothing to reset), {@value #CONFLICT} a live server holds the node id (no session touched),
 * {@value #SLOTS_FAILED} some resets failed (the report says which), {@value #FAILED} the cluster or the lease could
 * not be reached, {@value #USAGE} bad arguments or configuration.
 */
public final class PreStartReset {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int CONFLICT = 2;
    static final int SLOTS_FAILED = 3;
    static final int USAGE = 64;

    private PreStartReset() {
    }

    public static void main(String[] args) {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            // one line per record, like the server's log, before the first logger exists
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
        }
        int rc = run(args, System.out, System.err);
        System.out.flush();
        // the reset clients' releases run on daemon threads: the reset is complete, their ceph_release need not be waited for
        Runtime.getRuntime().halt(rc);
    }

    /** The whole run, without exiting (tests call it). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        AdapterConfig config;
        try {
            Map<String, String> props = Arguments.parse(args);
            if (props.isEmpty() || props.containsKey("help")) {
                err.println(Arguments.USAGE);
                return USAGE;
            }
            // no default node id: outside the server jboss.node.name is unknown, and a guess could reset another node
            config = ConfigProperties.apply(props).build(null);
        } catch (InvalidConfigurationException e) {
            err.println("cephfs-jca pre-start reset: " + e.getMessage());
            err.println(Arguments.USAGE);
            return USAGE;
        }
        String node = "node " + config.nodeId();
        err.println("cephfs-jca pre-start reset: " + config);
        try {
            RecoveryReport report = new NodeReset(config).run();
            out.println("cephfs-jca: " + report.summary());
            if (report.failed() > 0) {
                err.println("cephfs-jca pre-start reset: " + node + ": " + report.failed() + " reset(s) failed (see the "
                        + "report); the adapter's start will try them again");
                return SLOTS_FAILED;
            }
            return OK;
        } catch (NodeIdConflictException e) {
            err.println("cephfs-jca pre-start reset: " + node + ": NodeIdConflictException: " + e.getMessage());
            return CONFLICT;
        } catch (RecoveryFailedException e) {
            err.println("cephfs-jca pre-start reset: " + node + ": RecoveryFailedException: " + e.getMessage());
            return FAILED;
        } catch (InvalidConfigurationException e) {
            err.println("cephfs-jca pre-start reset: " + node + ": " + e.getMessage());
            return USAGE;
        } catch (Exception | UnsatisfiedLinkError e) {
            err.println("cephfs-jca pre-start reset: " + node + ": cannot reach the cluster or the lease file: "
                    + e.getClass().getSimpleName() + ": " + e.getMessage());
            return FAILED;
        }
    }
}
