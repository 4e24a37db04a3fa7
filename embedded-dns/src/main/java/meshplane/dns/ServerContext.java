package meshplane.dns;

import java.util.function.Supplier;

/** What every listener's handlers share: the current records, the query logic, the forwarder, the counters. */
record ServerContext(Supplier<RecordTable> table, QueryHandler queries, Forwarder forwarder, DnsCounters counters,
    long tcpIdleMillis) {}
