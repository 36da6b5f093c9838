package org.cephfsjca.example;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;

import org.cephfsjca.api.CephConnectionFactory;

/**
 * The one place that says where the adapter's connection factory comes from; every other class has it
 * {@code @Inject}ed. It is looked up under the app's own portable name {@value #NAME}, which WEB-INF/web.xml declares
 * (a resource-ref) and each server's descriptor maps to the server's binding: jboss-web.xml to WildFly's
 * {@code java:/ceph/FileSystem} (configure-adapter.cli), glassfish-web.xml to Payara's {@code ceph/FileSystem}
 * (configure-adapter.sh). The same war runs on both (docs/payara.md).
 */
@ApplicationScoped
public class CephFiles {

    /** The app's name for the factory, in the application's own namespace. */
    public static final String NAME = "java:app/ceph/FileSystem";

    @Resource(lookup = NAME)
    private CephConnectionFactory files;

    /**
     * Created when the application starts, on a thread of the deployment: a {@code java:app} name resolves only where
     * the application's naming context is current. Created lazily, the first user could be the readiness check, which
     * WildFly calls on a management thread: the lookup then failed (NameNotFoundException) and the check read DOWN.
     */
    void atStart(@Observes @Initialized(ApplicationScoped.class) Object start) {
        // observing is enough: the container creates this bean, and injects the factory, to deliver the event
    }

    /** The factory, for {@code @Inject CephConnectionFactory}; thread-safe, so every injection point shares it. */
    @Produces
    CephConnectionFactory files() {
        return files;
    }
}
