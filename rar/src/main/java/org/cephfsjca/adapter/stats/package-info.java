/**
 * The adapter's own statistics, for the server's management model: IronJacamar's statistics SPI
 * ({@code org.jboss.jca.core.spi.statistics}). {@link org.cephfsjca.adapter.CephResourceAdapter} and
 * {@link org.cephfsjca.adapter.CephManagedConnectionFactory} implement its {@code Statistics} interface; WildFly
 * shows what their plugins return under {@code resource-adapter=X/statistics=extended} (the node: recovery,
 * takeovers, fencing, lease) and {@code connection-definitions=Y/statistics=extended} (sessions, connections,
 * leaks), with the {@code statistics-enabled} attribute and the {@code clear-statistics} operation.
 *
 * <p>The SPI jar (ironjacamar-core-api, interfaces only) is bundled in the .rar, so that the adapter's classes still
 * load on a server without IronJacamar, which then simply never asks for the statistics. On WildFly the server's
 * own copy wins (module {@code org.jboss.ironjacamar.api} is a system dependency of every .rar deployment, searched
 * before the archive's jars), which is what makes WildFly's {@code instanceof Statistics} see them.
 *
 * <p>One class per concern: {@link Statistic} (one named value), {@link StatisticsSet} (the SPI plugin: enabled flag,
 * counter baselines for {@code clear()}), {@link NodeView} (what a started node tells), {@link NodeStatistics} and
 * {@link FactoryStatistics} (the two sets and their names; docs/wildfly.md lists them).
 */
package org.cephfsjca.adapter.stats;
