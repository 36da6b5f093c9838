package org.cephfsjca.example;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The REST API lives under {@code /api}: {@code /api/documents}, {@code /api/status}. */
@ApplicationPath("/api")
public class RestApplication extends Application {
}
