/**
 * The example document service on the cephfs-jca adapter, as a multi-user service (sign-in through WildFly
 * Elytron, roles reader, editor and admin, see WEB-INF/web.xml): a store that streams documents to and from CephFS
 * through pooled connections ({@link org.cephfsjca.example.DocumentStore}, {@link org.cephfsjca.example.Downloads}),
 * check-outs that hold a CephFS lock outside the pool and belong to their user
 * ({@link org.cephfsjca.example.CheckoutRegistry}), bulkheads for uploads and downloads
 * ({@link org.cephfsjca.example.Limits}), JSON errors with stable codes ({@link org.cephfsjca.example.ErrorMapper}),
 * and the REST API under {@code /api} ({@link org.cephfsjca.example.DocumentsResource},
 * {@link org.cephfsjca.example.StatusResource}). docs/example-app.md describes it all.
 */
package org.cephfsjca.example;
