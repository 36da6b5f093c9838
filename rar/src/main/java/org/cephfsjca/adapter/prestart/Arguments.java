package org.cephfsjca.adapter.prestart;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.cephfsjca.adapter.config.InvalidConfigurationException;

/**
 * The command line: {@code --property name=value} (repeatable) and {@code --properties FILE} (a Java properties file;
 * the place for credentials such as key or uuidSecret, which a command line shows to every local user in ps).
 * Later arguments override earlier ones.
 */
final class Arguments {

    static final String USAGE = "usage: java -cp 'rar-libs/*' org.cephfsjca.adapter.prestart.PreStartReset "
            + "[--properties FILE] [--property name=value]...\n"
            + "  the adapter's config properties (README), e.g. configFile, user, keyringFile, monHost, "
            + "fileSystemName, nodeId, sessionSlots, recoveryMode, leaseIntervalMillis, uuidPrefix, uuidSecret;\n"
            + "  nodeId is required (the adapter's default, jboss.node.name, is not known outside the server)";

    private Arguments() {
    }

    /** @throws InvalidConfigurationException on a malformed argument or an unreadable file */
    static Map<String, String> parse(String[] args) {
        Map<String, String> props = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--property") || a.equals("-p")) {
                put(props, value(args, ++i, a));
            } else if (a.startsWith("--property=")) {
                put(props, a.substring("--property=".length()));
            } else if (a.equals("--properties")) {
                load(props, value(args, ++i, a));
            } else if (a.startsWith("--properties=")) {
                load(props, a.substring("--properties=".length()));
            } else {
                throw new InvalidConfigurationException(List.of("unknown argument '" + a + "'"));
            }
        }
        return props;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new InvalidConfigurationException(List.of(option + " needs a value"));
        }
        return args[i];
    }

    private static void put(Map<String, String> props, String nameValue) {
        int eq = nameValue.indexOf('=');
        if (eq <= 0) {
            throw new InvalidConfigurationException(List.of("--property needs name=value"));
        }
        props.put(nameValue.substring(0, eq).trim(), nameValue.substring(eq + 1));
    }

    private static void load(Map<String, String> props, String file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new InvalidConfigurationException(List.of("cannot read properties file '" + file + "': "
                    + e.getClass().getSimpleName()));
        }
        for (String name : p.stringPropertyNames()) {
            props.put(name.trim(), p.getProperty(name));
        }
    }
}
