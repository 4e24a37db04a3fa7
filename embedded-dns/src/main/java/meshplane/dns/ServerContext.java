package meshplane.dns;

import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * What every listener's handlers share: the current records, the query logic, the forwarder, the
 * counters, the limits, and the places left in the total of client TCP connections.
 */
record ServerContext(Supplier<RecordTable> table, QueryHandler queries, Forwarder forwarder, DnsCounters counters,
    DnsLimits limits, Semaphore tcpTotal) {}
