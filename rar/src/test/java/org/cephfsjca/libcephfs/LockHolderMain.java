package org.cephfsjca.libcephfs;

import static org.cephfsjca.libcephfs.OpenFlags.O_CREAT;
import static org.cephfsjca.libcephfs.OpenFlags.O_RDWR;
import static org.cephfsjca.libcephfs.OpenFlags.O_TRUNC;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.cephfsjca.api.LockMode;

/**
 * Child process for the crash tests: mounts with session uuid {@code args[1]}, writes and fsyncs {@code args[3]}
 * into {@code args[2]}, takes an exclusive flock on it, prints READY and waits to be SIGKILLed.
 */
public final class LockHolderMain {

    private LockHolderMain() {
    }

    public static void main(String[] args) throws Exception {
        String conf = args[0];
        String uuid = args[1];
        String path = args[2];
        byte[] data = args[3].getBytes(StandardCharsets.UTF_8);
        CephMount m = CephMount.create("admin");
        m.readConfigFile(conf);
        m.init();
        m.setSessionTimeout(300);
        m.setUuid(uuid);
        m.mount("/");
        CephFile f = m.open(path, O_CREAT | O_RDWR | O_TRUNC, 0644);
        f.write(ByteBuffer.wrap(data), 0);
        f.fsync(false);
        if (!f.lock(LockMode.EXCLUSIVE, false, 1)) {
            System.out.println("LOCK-BUSY");
            System.exit(2);
        }
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
