package org.cephfsjca.it;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The example app's war as the build made it (target/deployments), for {@code @Deployment} methods. */
public final class ExampleApp {

    private ExampleApp() {
    }

    public static WebArchive war() {
        return ShrinkWrap.create(ZipImporter.class, ItEnv.WAR_NAME).importFrom(ItEnv.warFile().toFile())
                .as(WebArchive.class);
    }
}
