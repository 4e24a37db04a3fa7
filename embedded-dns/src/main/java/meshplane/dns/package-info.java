/**
 * The embedded DNS server on 127.0.0.11:53 inside each local task's namespace (docs/dns.md):
 * one process, one UDP and one TCP socket per namespace, answers scoped to the networks the
 * asking task is on, everything else forwarded to the node's upstream resolvers.
 *
 * <p>Layers, as Netty's own: {@link meshplane.dns.RecordTable} and
 * {@link meshplane.dns.QueryHandler} know only names and DNS messages (no transport);
 * {@link meshplane.dns.UdpDnsHandler} / {@link meshplane.dns.TcpDnsHandler} carry them;
 * The transport, io_uring or epoll, is chosen in {@link meshplane.nettyio.NettyTransport}.
 */
package meshplane.dns;
