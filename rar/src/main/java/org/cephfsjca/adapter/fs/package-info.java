/**
 * The application's view of one CephFS session: {@link org.cephfsjca.adapter.fs.MountedConnection} implements
 * {@link org.cephfsjca.api.CephConnection} over a mounted {@link org.cephfsjca.libcephfs.CephMount}, tracks every
 * stream, channel and lock it hands out so that closing the connection releases them, and tells its owner (the JCA
 * managed connection) when the session itself has been lost.
 */
package org.cephfsjca.adapter.fs;
