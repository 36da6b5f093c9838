package org.cephfsjca.adapter;

import javax.security.auth.Subject;

import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.resource.spi.security.PasswordCredential;

/**
 * Which of the container's credentials in a {@link Subject} names the cephx identity of a connection: the first
 * {@link PasswordCredential} for the factory (or for no factory in particular) with a user name. Containers differ
 * here: IronJacamar (WildFly) passes no Subject, or none with a PasswordCredential, unless a security domain is
 * configured; GlassFish's connector runtime (Payara) passes a PasswordCredential with an empty user name and password
 * for a pool without a user, which means "no credential", not "the cephx id ''".
 */
final class ContainerCredential {

    private ContainerCredential() {
    }

    /** The credential to use, or null when the configured identity applies. */
    static PasswordCredential of(Subject subject, ManagedConnectionFactory factory) {
        if (subject == null) {
            return null;
        }
        for (PasswordCredential pc : subject.getPrivateCredentials(PasswordCredential.class)) {
            if (pc.getManagedConnectionFactory() != null && !pc.getManagedConnectionFactory().equals(factory)) {
                continue;
            }
            String user = pc.getUserName();
            if (user != null && !user.isEmpty()) {
                return pc;
            }
        }
        return null;
    }
}
