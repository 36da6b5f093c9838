/** The example document service; built out in issue 4. */
package org.cephfsjca.example;
