package org.cephfsjca.example;

import java.security.Principal;

import jakarta.ws.rs.core.SecurityContext;

/** The signed-in user of a request (the container authenticated it: web.xml, Elytron's ApplicationDomain). */
record Caller(String name, boolean admin) {

    static final String ADMIN = "admin";

    static Caller of(SecurityContext sc) {
        Principal p = sc.getUserPrincipal();
        return new Caller(p == null ? "anonymous" : p.getName(), sc.isUserInRole(ADMIN));
    }

    /** May this caller check in or break a check-out held by {@code owner}? */
    boolean mayRelease(String owner) {
        return admin || name.equals(owner);
    }
}
