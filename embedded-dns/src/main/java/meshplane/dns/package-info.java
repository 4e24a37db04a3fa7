/**
 * The embedded DNS server on 127.0.0.11:53 inside each task's namespace. Not built yet: it
 * arrives with the embedded DNS issue.
 */
package meshplane.dns;
