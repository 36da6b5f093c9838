package org.cephfsjca.it;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An Arquillian test of the failsafe execution of the suite server (it-server in pom.xml). -Dit.test=X overrides
 * every execution's includes, so the crash execution sees X too: there it is skipped (in the suite server's
 * execution, where the property is not set, it runs). Inherited, so that {@link ExampleAppClient}'s subclasses
 * have it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(ArquillianExtension.class)
@DisabledIfSystemProperty(named = "arquillian.launch", matches = "wildfly-crash")
public @interface OnSuiteServer {
}
