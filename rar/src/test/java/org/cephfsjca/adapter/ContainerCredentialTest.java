package org.cephfsjca.adapter;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import javax.security.auth.Subject;

import jakarta.resource.spi.security.PasswordCredential;

import org.junit.jupiter.api.Test;

/** Which container credential names a connection's cephx identity, for the Subjects the two containers pass. */
class ContainerCredentialTest {

    private final CephManagedConnectionFactory factory = new CephManagedConnectionFactory();

    @Test
    void noSubjectOrNoPasswordCredentialMeansTheConfiguredIdentity() {
        assertNull(ContainerCredential.of(null, factory));
        assertNull(ContainerCredential.of(new Subject(), factory));
    }

    /** GlassFish's connector runtime (Payara) for a pool without a user: PasswordCredential("", ""). */
    @Test
    void anEmptyUserNameIsNoCredential() {
        Subject s = new Subject();
        PasswordCredential empty = new PasswordCredential("", new char[0]);
        empty.setManagedConnectionFactory(factory);
        s.getPrivateCredentials().add(empty);
        assertNull(ContainerCredential.of(s, factory));
    }

    @Test
    void aUserNameForThisFactoryOrForNoneIsUsed() {
        Subject s = new Subject();
        PasswordCredential app = new PasswordCredential("app", "secret".toCharArray());
        s.getPrivateCredentials().add(app);
        assertSame(app, ContainerCredential.of(s, factory));
        app.setManagedConnectionFactory(factory);
        assertSame(app, ContainerCredential.of(s, factory));
    }

    @Test
    void aCredentialForAnotherFactoryIsSkipped() throws Exception {
        CephResourceAdapter otherAdapter = new CephResourceAdapter();
        otherAdapter.setNodeId("other-node");
        CephManagedConnectionFactory other = new CephManagedConnectionFactory();
        other.setResourceAdapter(otherAdapter);
        Subject s = new Subject();
        PasswordCredential theirs = new PasswordCredential("theirs", "x".toCharArray());
        theirs.setManagedConnectionFactory(other);
        s.getPrivateCredentials().add(theirs);
        assertNull(ContainerCredential.of(s, factory));
    }
}
