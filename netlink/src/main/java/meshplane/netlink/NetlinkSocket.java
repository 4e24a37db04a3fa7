package meshplane.netlink;

import com.sun.jna.LastErrorException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * A netlink socket bound in one network namespace (the one its creating thread was in). It
 * numbers requests, asks for ACKs, collects multipart dumps until NLMSG_DONE, and turns errors
 * into {@link NetlinkException}s that carry errno and the kernel's extended-ack text. Extended
 * ACKs and capped ACKs are switched on at open. One request at a time per socket.
 */
public final class NetlinkSocket implements AutoCloseable {
  private static final int RECV_BUFFER = 1 << 20;
  private static final int MSG_TRUNC = 0x20;
  private static final int MSG_DONTWAIT = 0x40;
  private static final int ENOBUFS = 105;
  private static final int DUMP_RETRIES = 5;
  private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(30);

  private final NetlinkProtocol protocol;
  private final String namespace;
  private final int fd;
  private final int portId;
  private final ByteBuffer rx = ByteBuffer.allocateDirect(RECV_BUFFER).order(ByteOrder.nativeOrder());
  private ByteBuffer tx = ByteBuffer.allocateDirect(64 * 1024).order(ByteOrder.nativeOrder());
  private int seq = (int) (System.nanoTime() & 0x3fffffff);
  private int sendBufferForced = 8 << 20;
  private boolean closed;

  private NetlinkSocket(NetlinkProtocol protocol, String namespace, int groups) {
    this.protocol = protocol;
    this.namespace = namespace;
    String what = protocol + " socket in netns " + namespace;
    try {
      fd = LibC.INSTANCE.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, protocol.number());
    } catch (LastErrorException e) {
      throw new KernelException("open", what, e.getErrorCode());
    }
    try {
      setOpt(LibC.SOL_NETLINK, LibC.NETLINK_EXT_ACK, 1, what);
      setOpt(LibC.SOL_NETLINK, LibC.NETLINK_CAP_ACK, 1, what);
      trySetOpt(LibC.SOL_SOCKET, LibC.SO_RCVBUFFORCE, 8 << 20);
      trySetOpt(LibC.SOL_SOCKET, LibC.SO_SNDBUFFORCE, 8 << 20);
      setTimeout(REPLY_TIMEOUT);
      byte[] sa = sockaddr(0, groups);
      LibC.INSTANCE.bind(fd, sa, sa.length);
      int[] len = {12};
      LibC.INSTANCE.getsockname(fd, sa, len);
      portId = ByteBuffer.wrap(sa).order(ByteOrder.nativeOrder()).getInt(4);
    } catch (LastErrorException e) {
      closeQuietly();
      throw new KernelException("bind", what, e.getErrorCode());
    } catch (RuntimeException e) {
      closeQuietly();
      throw e;
    }
  }

  /** Opens a socket in the calling thread's network namespace. */
  public static NetlinkSocket open(NetlinkProtocol protocol) {
    return new NetlinkSocket(protocol, "(current)", 0);
  }

  /** Opens a socket inside {@code ns}: created on a thread that entered it, usable from any thread. */
  public static NetlinkSocket open(NetlinkProtocol protocol, NetNamespace ns) {
    return ns.call(() -> new NetlinkSocket(protocol, ns.name(), 0));
  }

  /** Opens a socket inside {@code ns} subscribed to the multicast groups in {@code groupMask}. */
  public static NetlinkSocket subscribe(NetlinkProtocol protocol, NetNamespace ns, int groupMask) {
    return ns.call(() -> new NetlinkSocket(protocol, ns.name(), groupMask));
  }

  private static byte[] sockaddr(int pid, int groups) {
    return ByteBuffer.allocate(12).order(ByteOrder.nativeOrder())
        .putShort((short) LibC.AF_NETLINK).putShort((short) 0).putInt(pid).putInt(groups).array();
  }

  private void setOpt(int level, int option, int value, String what) {
    try {
      LibC.INSTANCE.setsockopt(fd, level, option, new int[] {value}, 4);
    } catch (LastErrorException e) {
      throw new KernelException("setsockopt " + option, what, e.getErrorCode());
    }
  }

  private void trySetOpt(int level, int option, int value) {
    try {
      LibC.INSTANCE.setsockopt(fd, level, option, new int[] {value}, 4);
    } catch (LastErrorException e) {
      // Without CAP_NET_ADMIN the default buffer sizes stay; requests still work.
    }
  }

  /** Joins a multicast group by number (RTNLGRP_*), for groups beyond the 32-bit bind mask. */
  public void joinGroup(int group) {
    setOpt(LibC.SOL_NETLINK, LibC.NETLINK_ADD_MEMBERSHIP, group, describe());
  }

  /** How long a receive may block; a request that waits longer fails with ETIMEDOUT. */
  public void setTimeout(Duration timeout) {
    long micros = Math.max(1, timeout.toNanos() / 1000);
    long[] tv = {micros / 1_000_000, micros % 1_000_000};
    try {
      LibC.INSTANCE.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVTIMEO, tv, 16);
    } catch (LastErrorException e) {
      throw new KernelException("set receive timeout", describe(), e.getErrorCode());
    }
  }

  public NetlinkProtocol protocol() {
    return protocol;
  }

  /** The name of the namespace the socket lives in. */
  public String namespace() {
    return namespace;
  }

  public int portId() {
    return portId;
  }

  private String describe() {
    return protocol + " socket in netns " + namespace;
  }

  /**
   * Sends one request with NLM_F_REQUEST|NLM_F_ACK and waits for its ACK, returning the
   * messages the kernel sent before it (with NLM_F_ECHO, or a GET of one object).
   */
  public synchronized List<Message> request(MessageBuilder request, String operation, String object) {
    request.addFlags(Nlmsg.NLM_F_REQUEST | Nlmsg.NLM_F_ACK);
    int s = nextSeq();
    send(request.build(s, portId), operation, object);
    List<Message> replies = new ArrayList<>();
    while (true) {
      for (Message m : receiveBatch(operation, object)) {
        if (m.seq() != s) {
          continue; // a late reply to an earlier, abandoned request
        }
        if (m.type() == Nlmsg.NLMSG_ERROR) {
          NetlinkError e = NetlinkError.ofError(m);
          if (!e.isAck()) {
            throw new NetlinkException(operation, object, e);
          }
          return replies;
        }
        replies.add(m);
      }
    }
  }

  /**
   * Sends a dump request (NLM_F_REQUEST|NLM_F_DUMP) and collects every part until NLMSG_DONE.
   * A dump the kernel marks interrupted (the table changed meanwhile) is retried.
   */
  public synchronized List<Message> dump(MessageBuilder request, String operation, String object) {
    request.addFlags(Nlmsg.NLM_F_REQUEST | Nlmsg.NLM_F_DUMP);
    for (int attempt = 1; ; attempt++) {
      int s = nextSeq();
      send(request.build(s, portId), operation, object);
      List<Message> parts = new ArrayList<>();
      boolean interrupted = false;
      boolean done = false;
      while (!done) {
        for (Message m : receiveBatch(operation, object)) {
          if (m.seq() != s) {
            continue;
          }
          interrupted |= m.hasFlag(Nlmsg.NLM_F_DUMP_INTR);
          if (m.type() == Nlmsg.NLMSG_DONE) {
            NetlinkError e = NetlinkError.ofDone(m);
            if (!e.isAck()) {
              throw new NetlinkException(operation, object, e);
            }
            done = true;
          } else if (m.type() == Nlmsg.NLMSG_ERROR) {
            NetlinkError e = NetlinkError.ofError(m);
            if (!e.isAck()) {
              throw new NetlinkException(operation, object, e);
            }
            done = true;
          } else {
            parts.add(m);
          }
        }
      }
      if (!interrupted) {
        return parts;
      }
      if (attempt == DUMP_RETRIES) {
        throw new KernelException(operation, object + " (dump kept being interrupted)", Errno.EAGAIN);
      }
    }
  }

  /**
   * Sends several messages in one datagram and waits for an answer to each one that asks for an
   * ACK ({@link #sendBatch}, the one batch sender). If the kernel refuses any, the first refusal
   * in batch order is thrown, naming that message's object.
   */
  public synchronized void requestAll(List<MessageBuilder> batch, String operation, IntFunction<String> objectOf) {
    Map<Integer, NetlinkError> answers = sendBatch(batch, operation, objectOf.apply(0));
    answers.entrySet().stream().filter(e -> !e.getValue().isAck()).min(Map.Entry.comparingByKey()).ifPresent(e -> {
      throw new NetlinkException(operation, objectOf.apply(e.getKey()), e.getValue());
    });
  }

  /**
   * Sends a batch of messages in one sendmsg (for nfnetlink: BATCH_BEGIN, its messages, BATCH_END,
   * framed by the caller; for rtnetlink: plain requests, each handled in turn), raising the send buffer to fit it (SO_SNDBUFFORCE, as nft does), and returns what
   * the kernel answered, by index in {@code batch}: every error, and an ACK for each message
   * that asked for one. The kernel handles a batch inside sendmsg, so all its answers are queued
   * when the call returns: they are read until each message that asked for an ACK has been
   * answered (or the batch itself was refused), then the queue is drained without waiting. An
   * answer to a sequence number outside the batch is ignored; one to BATCH_BEGIN (a failed
   * commit, or a refused batch) is reported at index 0.
   */
  public synchronized Map<Integer, NetlinkError> sendBatch(List<MessageBuilder> batch, String operation, String object) {
    Map<Integer, Integer> seqToIndex = new HashMap<>();
    Map<Integer, Integer> awaiting = new HashMap<>();
    List<byte[]> encoded = new ArrayList<>(batch.size());
    int total = 0;
    int firstSeq = 0;
    for (int i = 0; i < batch.size(); i++) {
      MessageBuilder m = batch.get(i);
      m.addFlags(Nlmsg.NLM_F_REQUEST);
      int s = nextSeq();
      firstSeq = i == 0 ? s : firstSeq;
      seqToIndex.put(s, i);
      if ((m.flags() & Nlmsg.NLM_F_ACK) != 0) {
        awaiting.put(s, i);
      }
      byte[] b = m.build(s, portId);
      encoded.add(b);
      total += Nlmsg.align(b.length);
    }
    if (total + 4096 > sendBufferForced) {
      trySetOpt(LibC.SOL_SOCKET, LibC.SO_SNDBUFFORCE, total + 4096);
      sendBufferForced = total + 4096;
    }
    byte[] all = new byte[total];
    int off = 0;
    for (byte[] b : encoded) {
      System.arraycopy(b, 0, all, off, b.length);
      off += Nlmsg.align(b.length);
    }
    send(all, operation, object);
    Map<Integer, NetlinkError> answers = new HashMap<>();
    boolean batchRefused = false;
    while (!awaiting.isEmpty() && !batchRefused) {
      for (Message m : receiveBatch(operation, object)) {
        batchRefused |= collect(m, seqToIndex, awaiting, answers, firstSeq);
      }
    }
    drain(operation, object, seqToIndex, awaiting, answers, firstSeq);
    return answers;
  }

  /** Records one answer to a batch; true when it refuses the batch as a whole. */
  private static boolean collect(Message m, Map<Integer, Integer> seqToIndex, Map<Integer, Integer> awaiting,
      Map<Integer, NetlinkError> answers, int firstSeq) {
    if (m.type() != Nlmsg.NLMSG_ERROR) {
      return false;
    }
    NetlinkError e = NetlinkError.ofError(m);
    Integer index = seqToIndex.get(e.requestSeq());
    if (index == null) {
      return false; // a late answer to an earlier exchange
    }
    awaiting.remove(e.requestSeq());
    NetlinkError before = answers.get(index);
    if (before == null || before.isAck()) {
      answers.put(index, e);
    }
    return e.requestSeq() == firstSeq && !e.isAck();
  }

  private void drain(String operation, String object, Map<Integer, Integer> seqToIndex,
      Map<Integer, Integer> awaiting, Map<Integer, NetlinkError> answers, int firstSeq) {
    while (true) {
      long n;
      rx.clear();
      try {
        n = LibC.INSTANCE.recv(fd, rx, rx.capacity(), MSG_TRUNC | MSG_DONTWAIT);
      } catch (LastErrorException e) {
        if (e.getErrorCode() == Errno.EAGAIN) {
          return;
        }
        if (e.getErrorCode() == ENOBUFS) {
          continue; // answers were dropped for want of buffer; the ones kept still count
        }
        throw new KernelException(operation + " (reading the batch's answers)", object, e.getErrorCode());
      }
      for (Message m : parse(n, operation, object)) {
        collect(m, seqToIndex, awaiting, answers, firstSeq);
      }
    }
  }

  /**
   * Waits up to {@code timeout} for the next datagram (a multicast event, say) and returns its
   * messages, or empty on timeout. ENOBUFS (events were lost) is thrown so a watcher can resync.
   */
  public Optional<List<Message>> receive(Duration timeout) {
    setTimeout(timeout);
    try {
      long n = LibC.INSTANCE.recv(fd, rx, rx.capacity(), MSG_TRUNC);
      return Optional.of(parse(n, "receive", describe()));
    } catch (LastErrorException e) {
      if (e.getErrorCode() == Errno.EAGAIN) {
        return Optional.empty();
      }
      throw new KernelException("receive", describe(), e.getErrorCode());
    } finally {
      setTimeout(REPLY_TIMEOUT);
    }
  }

  private List<Message> receiveBatch(String operation, String object) {
    long n;
    rx.clear();
    try {
      n = LibC.INSTANCE.recv(fd, rx, rx.capacity(), MSG_TRUNC);
    } catch (LastErrorException e) {
      int errno = e.getErrorCode() == Errno.EAGAIN ? 110 : e.getErrorCode();
      throw new KernelException(operation + " (waiting for the kernel's reply)", object, errno);
    }
    return parse(n, operation, object);
  }

  private List<Message> parse(long n, String operation, String object) {
    if (n > rx.capacity()) {
      throw new KernelException(operation + " (reply of " + n + " bytes truncated)", object, 90);
    }
    ByteBuffer copy = ByteBuffer.allocate((int) n).order(ByteOrder.nativeOrder());
    ByteBuffer view = rx.duplicate();
    view.position(0).limit((int) n);
    copy.put(view).flip();
    return Message.split(copy);
  }

  private void send(byte[] data, String operation, String object) {
    if (closed) {
      throw new IllegalStateException(describe() + " is closed");
    }
    if (tx.capacity() < data.length) {
      tx = ByteBuffer.allocateDirect(Integer.highestOneBit(data.length) << 1).order(ByteOrder.nativeOrder());
    }
    tx.clear();
    tx.put(data);
    tx.flip(); // JNA passes a direct buffer's address at its position
    byte[] kernel = sockaddr(0, 0);
    try {
      LibC.INSTANCE.sendto(fd, tx, data.length, 0, kernel, kernel.length);
    } catch (LastErrorException e) {
      throw new KernelException(operation + " (send)", object, e.getErrorCode());
    }
  }

  private int nextSeq() {
    seq = (seq + 1) & 0x7fffffff;
    if (seq == 0) {
      seq = 1;
    }
    return seq;
  }

  private void closeQuietly() {
    try {
      LibC.INSTANCE.close(fd);
    } catch (LastErrorException ignored) {
      // nothing more to do with a socket that will not close
    }
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      closeQuietly();
    }
  }
}
