/**
 * The API every node daemon serves on port 2377: HTTP/1.1 and JSON over Netty
 * (docs/control-plane.md, "The API"). The server side is a small router of handlers that return
 * futures; the client side is {@code ApiClient}.
 */
package meshplane.cluster.api;
