package org.cephfsjca.adapter.recovery;

/** Another live adapter holds this node id: starting would evict it. The message names the other instance. */
public class NodeIdConflictException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public NodeIdConflictException(String message) {
        super(message);
    }
}
