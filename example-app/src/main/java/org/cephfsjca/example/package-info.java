/**
 * The example document service on the cephfs-jca adapter: a {@code @Stateless} store that streams documents to and
 * from CephFS through pooled connections ({@link org.cephfsjca.example.DocumentStore}), check-outs that hold a
 * CephFS lock across requests ({@link org.cephfsjca.example.CheckoutRegistry}), and the REST API under
 * {@code /api} ({@link org.cephfsjca.example.DocumentsResource}, {@link org.cephfsjca.example.StatusResource}).
 */
package org.cephfsjca.example;
