#!/usr/bin/env python3
"""DNS over TCP clients for DnsAbuseE2ETest, run inside a task's namespace.

  flood SERVER CONNS QUERIES SECONDS NAME...
      CONNS connections, each writing rounds of QUERIES pipelined queries (names in turn),
      round after round, and never reading; a connection the server closes is opened again (at
      most every 100 ms per slot) until SECONDS have passed. Prints one line of totals. Bounded
      in time and connections.
  pipeline SERVER QUERIES NAME...
      one connection, QUERIES pipelined queries written at once, then every answer read;
      prints how many distinct ids were answered and the time taken.
"""
import select, socket, struct, sys, time


def query(qid, name):
    q = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    for label in name.rstrip(".").split("."):
        q += bytes([len(label)]) + label.encode()
    q += b"\x00" + struct.pack(">HH", 1, 1)
    return struct.pack(">H", len(q)) + q


def connect(server, rcvbuf):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.setblocking(False)
    try:
        s.connect((server, 53))
    except BlockingIOError:
        pass
    return s


def flood(server, conns, queries, seconds, names):
    payload = b"".join(query(i & 0xFFFF, names[i % len(names)]) for i in range(queries))
    end = time.monotonic() + seconds
    slots = [None] * conns  # [socket, bytes sent] or None, with the time it may reopen
    reopen = [0.0] * conns
    opened = closed = written = full = 0
    while time.monotonic() < end:
        now = time.monotonic()
        for i in range(conns):
            if slots[i] is None and now >= reopen[i]:
                slots[i] = [connect(server, 4096), 0]
                opened += 1
        socks = {slot[0].fileno(): i for i, slot in enumerate(slots) if slot is not None}
        if not socks:
            time.sleep(0.05)
            continue
        _, ready, _ = select.select([], list(socks), [], 0.1)
        for fd in ready:
            i = socks[fd]
            s, sent = slots[i]
            try:
                at = sent % len(payload)
                n = s.send(payload[at:at + 65536])
                if at + n >= len(payload):
                    full += 1
                slots[i][1] += n
                written += n
            except BlockingIOError:
                pass
            except OSError:
                s.close()
                slots[i] = None
                reopen[i] = time.monotonic() + 0.1
                closed += 1
    for slot in slots:
        if slot is not None:
            slot[0].close()
    print(f"flood: opened {opened} connections, {closed} closed by the server, "
          f"{written} bytes taken by its sockets ({written // max(1, len(payload) // queries)} queries), "
          f"{full} rounds of {queries} written whole", flush=True)


def pipeline(server, queries, names):
    s = socket.create_connection((server, 53), timeout=10)
    t0 = time.monotonic()
    s.sendall(b"".join(query(i, names[i % len(names)]) for i in range(queries)))
    buf, ids, rcodes = b"", set(), {}
    while len(ids) < queries:
        chunk = s.recv(65536)
        if not chunk:
            break
        buf += chunk
        while len(buf) >= 2 and len(buf) >= 2 + struct.unpack(">H", buf[:2])[0]:
            n = struct.unpack(">H", buf[:2])[0]
            msg, buf = buf[2:2 + n], buf[2 + n:]
            ids.add(struct.unpack(">H", msg[:2])[0])
            rc = msg[3] & 0xF
            rcodes[rc] = rcodes.get(rc, 0) + 1
    ms = (time.monotonic() - t0) * 1000
    print(f"pipeline: {len(ids)} of {queries} answered on one connection in {ms:.0f} ms, rcodes {rcodes}", flush=True)


if __name__ == "__main__":
    mode, server = sys.argv[1], sys.argv[2]
    if mode == "flood":
        flood(server, int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), sys.argv[6:])
    else:
        pipeline(server, int(sys.argv[3]), sys.argv[4:])
