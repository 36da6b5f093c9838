package org.cephfsjca.it.leak;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;

import org.cephfsjca.api.CephConnection;
import org.cephfsjca.api.CephConnectionFactory;
import org.cephfsjca.api.CephLock;
import org.cephfsjca.api.LockMode;

/** An application bug on purpose: takes a connection and an exclusive lock through it, and never closes either. */
@Stateless
public class LeakyBean {

    @Resource(lookup = "java:/ceph/FileSystem")
    private CephConnectionFactory files;

    /** Returns whether the lock on {@code path} was free, i.e. whether the previous call's leak was cleaned up. */
    public boolean leakAConnectionHoldingALock(String path) throws Exception {
        CephConnection c = files.getConnection();
        if (!c.exists(path)) {
            c.write(path, "locked by a leaked connection".getBytes(StandardCharsets.UTF_8));
        }
        Optional<CephLock> lock = c.tryLock(path, LockMode.EXCLUSIVE);
        return lock.isPresent(); // neither the lock nor the connection is closed
    }
}
