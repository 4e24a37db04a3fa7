package meshplane.whoami;

import meshplane.nettyio.NettyTransport;
import meshplane.nettyio.TransportChoice;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The built-in workload {@code meshplane/whoami}, after containous/whoami: an HTTP/1.1 server that
 * answers every request with what it sees of itself and of the request (the format is
 * {@link WhoamiAnswer}'s), and {@code GET /health} with {@code ok}. It prints one line when
 * listening and one line per request to stdout, which is the task's log.
 *
 * <p>{@code Whoami [--port N] [--name NAME]}: the port defaults to {@code $WHOAMI_PORT}, else 80.
 *
 * <p>On Netty ({@link NettyTransport}), {@value #EVENT_LOOP_THREADS} event loop threads at most
 * for accepting and serving; TCP_NODELAY, keep-alive, each response one buffer; the bounds are
 * {@link WhoamiLimits#DEFAULT}'s. The JVM it runs on is {@link WhoamiJvm}'s.
 */
public final class Whoami implements AutoCloseable {
  /** The system property that forces a transport: {@code auto} (the default), {@code io_uring} or {@code epoll}. */
  static final String TRANSPORT_PROPERTY = "meshplane.whoami.transport";

  static final int EVENT_LOOP_THREADS = 2;
  static final int BACKLOG = 1024;

  private final EventLoopGroup group;
  private final Channel server;
  private final RequestLog log;

  private Whoami(EventLoopGroup group, Channel server, RequestLog log) {
    this.group = group;
    this.server = server;
    this.log = log;
  }

  public static void main(String[] args) {
    WhoamiOptions options;
    try {
      options = WhoamiOptions.parse(List.of(args), System.getenv("WHOAMI_PORT"));
    } catch (IllegalArgumentException e) {
      System.err.println("whoami: " + e.getMessage());
      System.err.println("usage: whoami [--port N] [--name NAME]");
      System.exit(2);
      return;
    }
    quietLeakDetection();
    quietMachineId();
    Whoami whoami;
    try {
      whoami = bind(new InetSocketAddress(options.port()), options.name(), WhoamiLimits.DEFAULT);
    } catch (RuntimeException e) {
      System.err.println(e.getMessage());
      System.exit(1);
      return;
    }
    System.out.println("whoami listening on :" + whoami.port());
    System.out.flush();
    whoami.accept();
    // the event loop threads are not daemons: they keep the JVM running
  }

  /** Listens on {@code address} (port 0: any free port) and serves; {@code name} may be null. */
  public static Whoami start(InetSocketAddress address, String name) {
    return start(address, name, WhoamiLimits.DEFAULT);
  }

  static Whoami start(InetSocketAddress address, String name, WhoamiLimits limits) {
    Whoami whoami = bind(address, name, limits);
    whoami.accept();
    return whoami;
  }

  /**
   * Bound and listening, not yet accepting: connections wait in the backlog, so the listening
   * line is the log's first.
   *
   * @throws IllegalStateException naming the address when it cannot listen there
   */
  private static Whoami bind(InetSocketAddress address, String name, WhoamiLimits limits) {
    NettyTransport transport = NettyTransport.select(
        TransportChoice.parse(System.getProperty(TRANSPORT_PROPERTY), "whoami: transport (-D" + TRANSPORT_PROPERTY + ")"), "whoami");
    int threads = Math.min(EVENT_LOOP_THREADS, Runtime.getRuntime().availableProcessors());
    EventLoopGroup group = transport.newGroup(threads, new DefaultThreadFactory("whoami", false));
    RequestLog log = new RequestLog(System.out);
    HttpDate date = new HttpDate();
    HostViewCache self = new HostViewCache();
    ConnectionLimit connectionLimit = new ConnectionLimit(limits.maxConnections(), date);
    HttpDecoderConfig decoder = new HttpDecoderConfig().setMaxInitialLineLength(limits.maxInitialLine())
        .setMaxHeaderSize(limits.maxHeaderSize());
    ChannelFuture bound = new ServerBootstrap()
        .group(group)
        .channelFactory(transport.server())
        .option(ChannelOption.SO_BACKLOG, BACKLOG)
        .option(ChannelOption.SO_REUSEADDR, true)
        .option(ChannelOption.AUTO_READ, false)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(connectionLimit,
                new IdleStateHandler(0, 0, limits.idleTimeout().toMillis(), TimeUnit.MILLISECONDS),
                new HttpRequestDecoder(decoder),
                new RequestHandler(name, limits.maxBody(), self, date, log));
          }
        })
        .bind(address)
        .awaitUninterruptibly();
    if (!bound.isSuccess()) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw new IllegalStateException("whoami cannot listen on " + address + ": " + bound.cause().getMessage(),
          bound.cause());
    }
    return new Whoami(group, bound.channel(), log);
  }

  /**
   * Netty's buffer leak detection samples buffers and costs each a wrapper; off in the workload
   * unless {@code -Dio.netty.leakDetection.level} asks for it (tests keep Netty's default).
   */
  private static void quietLeakDetection() {
    if (System.getProperty("io.netty.leakDetection.level") == null) {
      ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    }
  }

  /**
   * Netty's channel ids start with a machine id taken from a MAC address, and it warns on stderr
   * (the task's log) when the namespace has no interface with one; whoami's channel ids need be
   * unique within the process only, so a random id is set unless {@code -Dio.netty.machineId} is.
   */
  private static void quietMachineId() {
    if (System.getProperty("io.netty.machineId") == null) {
      byte[] id = new byte[8];
      ThreadLocalRandom.current().nextBytes(id);
      System.setProperty("io.netty.machineId", HexFormat.ofDelimiter(":").formatHex(id));
    }
  }

  private void accept() {
    server.config().setAutoRead(true);
  }

  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** Stops listening, closes every connection and ends the event loops. */
  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    log.flush();
  }
}
