package org.cephfsjca.bench.server;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

import org.cephfsjca.api.CephConnectionFactory;
import org.cephfsjca.bench.OpLoop;

/**
 * The EJB of the bench deployment: the operation loop through the container-managed {@link CephConnectionFactory}
 * (IronJacamar's pool, and the cached connection manager, which tracks every connection an EJB call takes).
 * {@link #loop} runs a whole repetition inside one call; {@link #one} is one operation per call, as a request that
 * reaches an EJB does, with the default container-managed transaction (REQUIRED: each call begins and commits a JTA
 * transaction, although the adapter is NoTransaction); {@link #oneWithoutTransaction} the same with NOT_SUPPORTED.
 */
@Stateless
public class ServerOpsBean {

    @Resource(lookup = "java:/ceph/FileSystem")
    private CephConnectionFactory factory;

    public void setup(String dir) throws Exception {
        new OpLoop(factory, dir).setup();
    }

    /**
     * {@code held} or {@code perop}: a warm-up, then one timed repetition, inside this call; {@code tag} names its
     * created files apart from every other call's.
     */
    public OpLoop.Rep loop(String dir, String tag, String op, String mode, long warmupMs, long ms) throws Exception {
        OpLoop loop = new OpLoop(factory, dir, tag, 0);
        return switch (mode) {
            case "held" -> loop.held(op, warmupMs, ms);
            case "perop" -> loop.perOp(op, warmupMs, ms);
            default -> throw new IllegalArgumentException("mode held or perop, not " + mode);
        };
    }

    /** One operation on a connection of its own; {@code seq} (unique) keeps the created files apart. */
    public void one(String dir, String op, long seq) throws Exception {
        new OpLoop(factory, dir, "c", seq).one(op);
    }

    /** {@link #one} without a JTA transaction around it. */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public void oneWithoutTransaction(String dir, String op, long seq) throws Exception {
        new OpLoop(factory, dir, "c", seq).one(op);
    }
}
