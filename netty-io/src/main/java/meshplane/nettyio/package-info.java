/**
 * The one place a Netty transport is chosen for every meshplane server and socket (the VTEP, the
 * embedded DNS, the API, the whoami workload): io_uring where this kernel lets Netty use it, else
 * epoll; forcing one that cannot run is refused with Netty's reason. And the one cap on a TCP
 * listener's connections ({@link meshplane.nettyio.ConnectionCap}: per address, in all, per second).
 */
package meshplane.nettyio;
