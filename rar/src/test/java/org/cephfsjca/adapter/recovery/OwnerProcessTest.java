package org.cephfsjca.adapter.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The process proof's one-sided logic: GONE only when it can be sure. */
class OwnerProcessTest {

    private static final OwnerProcess SELF = new OwnerProcess("boot-a", "4026531836", "1000", 10, 1_000_000);

    private static OwnerProcess owner(String boot, String ns, String uid) {
        return new OwnerProcess(boot, ns, uid, 42, 2_000_000);
    }

    @Test
    void goneOnlyOnTheSameMachineNamespaceAndUser() {
        assertEquals(OwnerProcess.Verdict.GONE, owner("boot-a", "4026531836", "1000").judgeFrom(SELF, pid -> null));
        assertEquals(OwnerProcess.Verdict.UNKNOWN, owner("boot-b", "4026531836", "1000").judgeFrom(SELF, pid -> null));
        assertEquals(OwnerProcess.Verdict.UNKNOWN, owner("boot-a", "4026532000", "1000").judgeFrom(SELF, pid -> null));
        assertEquals(OwnerProcess.Verdict.UNKNOWN, owner("boot-a", "4026531836", "0").judgeFrom(SELF, pid -> null));
        assertEquals(OwnerProcess.Verdict.UNKNOWN, owner("boot-a", "4026531836", "1000").judgeFrom(null, pid -> null));
    }

    @Test
    void aRunningPidIsTheOwnerUnlessItStartedAtAnotherTime() {
        OwnerProcess o = owner("boot-a", "4026531836", "1000");
        assertEquals(OwnerProcess.Verdict.UNKNOWN, o.judgeFrom(SELF, pid -> 2_000_000L));
        assertEquals(OwnerProcess.Verdict.UNKNOWN, o.judgeFrom(SELF, pid -> 2_001_500L)); // rounding between JVMs
        assertEquals(OwnerProcess.Verdict.GONE, o.judgeFrom(SELF, pid -> 2_000_000L + 60_000)); // the pid was reused
        assertEquals(OwnerProcess.Verdict.UNKNOWN, o.judgeFrom(SELF, pid -> OwnerProcess.START_UNKNOWN));
    }

    @Test
    void recordsRoundTripAndForeignTextIsNoRecord() {
        OwnerProcess o = owner("boot-a", "4026531836", "1000");
        OwnerProcess back = OwnerProcess.parse(o.text());
        assertNotNull(back);
        assertEquals(o.text(), back.text());
        assertNull(OwnerProcess.parse(""));
        assertNull(OwnerProcess.parse("cephfs-jca-lease v1 state=running"));
        assertNull(OwnerProcess.parse("cephfs-jca-owner v1 boot=x pidns=1 uid=1 pid=notanumber start=1"));
        assertNull(OwnerProcess.parse("cephfs-jca-owner v1 pid=1 start=1"));
    }

    @Test
    void thisProcessNamesItselfAndIsNotGone() {
        OwnerProcess me = OwnerProcess.current();
        assertNotNull(me, "Linux /proc: boot_id, pid namespace, uid");
        assertEquals(ProcessHandle.current().pid(), me.pid());
        assertEquals(OwnerProcess.Verdict.UNKNOWN, OwnerProcess.parse(me.text()).judge());
    }
}
