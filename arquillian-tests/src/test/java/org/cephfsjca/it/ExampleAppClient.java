package org.cephfsjca.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.as.arquillian.api.ServerSetup;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * A test class that talks to the example app over HTTP from outside the suite server, with the adapter set up by
 * {@link AdapterSetup} (a subclass may name another setup with a {@code @ServerSetup} of its own) and the app's war
 * as the build made it. Arquillian reads these annotations (all {@code @Inherited}) and the deployment method from
 * the superclass.
 */
@OnSuiteServer
@ServerSetup(AdapterSetup.class)
@RunAsClient
public abstract class ExampleAppClient {

    @Deployment(testable = false)
    protected static WebArchive app() {
        return ExampleApp.war();
    }
}
