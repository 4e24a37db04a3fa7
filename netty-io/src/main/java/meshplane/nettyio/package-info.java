/**
 * The one place a Netty transport is chosen for every meshplane server and socket (the VTEP, the
 * embedded DNS, the API, the whoami workload): io_uring where this kernel lets Netty use it, else
 * epoll; forcing one that cannot run is refused with Netty's reason.
 */
package meshplane.nettyio;
