package org.cephfsjca.adapter.fs;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records the callbacks a connection makes to its owner. */
final class RecordingListener implements MountedConnection.Listener {

    final List<MountedConnection> closed = new CopyOnWriteArrayList<>();
    final List<Exception> failures = new CopyOnWriteArrayList<>();

    @Override
    public void connectionClosed(MountedConnection c) {
        closed.add(c);
    }

    @Override
    public void connectionFailed(MountedConnection c, Exception cause) {
        failures.add(cause);
    }
}
