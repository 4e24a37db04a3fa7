package meshplane.cluster.api;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import meshplane.nettyio.ConnectionCap;
import meshplane.nettyio.NettyTransport;
import meshplane.nettyio.TransportChoice;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import java.nio.file.Files;
import java.nio.file.Path;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's HTTP/1.1 server on Netty: over mutual TLS on TCP (io_uring, else epoll:
 * {@link NettyTransport}; {@link #tcp}), or on the node's root-only unix socket ({@link #unix}).
 * Each request's {@link Caller} is checked against its route's {@link Access} and the router's
 * {@link Router.Guard} before its handler runs (a 403 naming what is needed). Handlers run off the event loop
 * (they may wait on Raft); their futures' answers are written back as JSON, or as a chunked text
 * stream. Errors become {@code {"error", "field"}} with the status {@link ApiFailure} gives.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

  private final Router router;
  private final ApiLimits limits;
  private final EventLoopGroup group;
  private final Channel channel;
  /**
   * Handlers run here, off the event loop: at most {@link ApiLimits#workers} at once and
   * {@link ApiLimits#queue} waiting (idle threads end after 10 s); one more is answered 503 at
   * once. Long polls hold no worker: they wait on futures.
   */
  private final ThreadPoolExecutor workers;
  /** Streamed answers (log follows) hold a thread each, here: at most {@link ApiLimits#maxStreams}, no queue. */
  private final ThreadPoolExecutor streams;

  static final AttributeKey<Boolean> BUSY = AttributeKey.valueOf("meshplane.busy");

  /** Where a channel's caller and join-channel mark are kept. */
  static final AttributeKey<Caller> CALLER = AttributeKey.valueOf("meshplane.caller");
  static final AttributeKey<Boolean> JOIN_CHANNEL = AttributeKey.valueOf("meshplane.join-channel");

  private final String describe;
  private final ConnectionCap cap;

  private ApiServer(Router router, ApiLimits limits, String describe, EventLoopGroup group,
      java.util.function.Function<ApiServer, ServerBootstrap> bootstrap, java.net.SocketAddress bind)
      throws InterruptedException {
    this.router = router;
    this.limits = limits;
    this.describe = describe;
    this.group = group;
    this.cap = new ConnectionCap("API " + describe, limits.maxConnectionsPerPeer(), limits.maxConnections(),
        limits.newConnectionsPerSecond());
    this.workers = WorkerPool.create("api-worker", limits.workers(), limits.queue());
    this.streams = WorkerPool.create("api-stream", limits.maxStreams(), 0);
    try {
      this.channel = bootstrap.apply(this).bind(bind).sync().channel();
    } catch (RuntimeException | InterruptedException e) {
      group.shutdownGracefully();
      workers.shutdownNow();
      streams.shutdownNow();
      throw e;
    }
  }

  /**
   * Serves {@code router} on {@code bind} (in the calling thread's network namespace) over mutual
   * TLS 1.3 with the node's current certificate ({@link ServerTls}): no plaintext, no peer
   * without a certificate outside the join channel. Bounded by {@link ApiLimits#DEFAULTS}.
   */
  public static ApiServer tcp(Router router, InetSocketAddress bind, ServerTls tls) {
    return tcp(router, bind, tls, ApiLimits.DEFAULTS);
  }

  public static ApiServer tcp(Router router, InetSocketAddress bind, ServerTls tls, ApiLimits limits) {
    NettyTransport transport = NettyTransport.select(TransportChoice.AUTO, "API server on " + bind);
    EventLoopGroup group = transport.newGroup(2, new io.netty.util.concurrent.DefaultThreadFactory("api", true));
    return start(() -> new ApiServer(router, limits, bind.toString(), group, server -> new ServerBootstrap().group(group)
        .channelFactory(transport.server())
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            if (!server.cap.admit(ch)) {
              return;
            }
            ch.pipeline().addLast(new JoinChannelSni(tls));
            server.http(ch);
          }
        }), bind), bind.toString());
  }

  /** A stream's writer waits while more than 64 KiB wait for its client ({@link StreamOutput}). */
  private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 << 10, 64 << 10);

  /** The HTTP part of a connection's pipeline, after TLS: idle and first-request timeouts, the codec's and aggregator's size limits. */
  private void http(Channel ch) {
    ch.pipeline().addFirst(new IdleStateHandler(0, 0, limits.idleSeconds()), IDLE_CLOSER);
    ch.pipeline().addLast(new HttpServerCodec(new HttpDecoderConfig().setMaxInitialLineLength(limits.maxInitialLine())
            .setMaxHeaderSize(limits.maxHeaderBytes()).setMaxChunkSize(8192)),
        new BoundedAggregator(limits.maxBodyBytes()), new FirstRequestTimeout(limits.firstRequestSeconds()), dispatch);
  }

  /**
   * Serves {@code router} on the unix socket {@code path}, made mode 0600 and for root only (its
   * peer's uid is checked on each connection): the local API, whose callers are {@link Caller#LOCAL}.
   * Its event loop, workers and connection count are its own: a flood of the TCP listener leaves it usable.
   */
  public static ApiServer unix(Router router, Path path) {
    try {
      Files.createDirectories(path.getParent());
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new IllegalStateException("cannot make the local API socket " + path + ": " + e.getMessage(), e);
    }
    if (!Epoll.isAvailable()) {
      throw new IllegalStateException("the local API socket " + path + " needs epoll: " + Epoll.unavailabilityCause());
    }
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new io.netty.util.concurrent.DefaultThreadFactory("api-local", true),
        EpollIoHandler.newFactory());
    ApiServer s = start(() -> new ApiServer(router, ApiLimits.DEFAULTS, "unix://" + path, group, server -> new ServerBootstrap().group(group)
        .channel(EpollServerDomainSocketChannel.class)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
        .childHandler(new ChannelInitializer<EpollDomainSocketChannel>() {
          @Override
          protected void initChannel(EpollDomainSocketChannel ch) throws Exception {
            int uid = ch.peerCredentials().uid();
            if (uid != 0) {
              LOG.warn("local API {}: refused a peer with uid {} (root only)", path, uid);
              ch.close();
              return;
            }
            ch.attr(CALLER).set(Caller.LOCAL);
            server.http(ch);
          }
        }), new DomainSocketAddress(path.toFile())), "unix://" + path);
    try {
      Files.setPosixFilePermissions(path, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      s.close();
      throw new IllegalStateException("cannot make the local API socket " + path + " root-only: " + e.getMessage(), e);
    }
    return s;
  }

  @FunctionalInterface
  private interface Binding {
    ApiServer bind() throws InterruptedException;
  }

  private static ApiServer start(Binding binding, String where) {
    try {
      return binding.bind();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while binding the API to " + where, e);
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot serve the API on " + where + ": " + e.getMessage(), e);
    }
  }

  private final Dispatch dispatch = new Dispatch();

  /** Closes a connection idle for {@link ApiLimits#idleSeconds} unless a request on it is being answered. */
  private static final ChannelHandler IDLE_CLOSER = new IdleCloser();

  @ChannelHandler.Sharable
  private static final class IdleCloser extends io.netty.channel.ChannelInboundHandlerAdapter {
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt instanceof io.netty.handler.timeout.IdleStateEvent && !Boolean.TRUE.equals(ctx.channel().attr(BUSY).get())) {
        ctx.close();
        return;
      }
      super.userEventTriggered(ctx, evt);
    }
  }

  /** {@code host:port}, or {@code unix://path}. */
  public String describe() {
    return describe;
  }

  /** The TCP address served (a TCP server only). */
  public InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  /** Connections closed at once because a cap of {@link ApiLimits} was reached, since the start. */
  public long refusedConnections() {
    return cap.refused();
  }

  /** Connections open now (a TCP server: the unix socket counts none). */
  public int openConnections() {
    return cap.open();
  }

  @Override
  public void close() {
    channel.close().awaitUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    workers.shutdownNow();
    streams.shutdownNow();
  }

  private String busy() {
    return "the API is busy: " + limits.workers() + " requests are being served and " + limits.queue()
        + " are waiting; try again";
  }

  @ChannelHandler.Sharable
  private final class Dispatch extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      if (req.decoderResult().isFailure()) {
        malformed(ctx, req.decoderResult().cause());
        return;
      }
      boolean keepAlive = HttpUtil.isKeepAlive(req);
      QueryStringDecoder q = new QueryStringDecoder(req.uri());
      Map<String, String> query = new HashMap<>();
      try {
        for (Map.Entry<String, List<String>> e : q.parameters().entrySet()) {
          query.put(e.getKey(), e.getValue().isEmpty() ? "" : e.getValue().get(e.getValue().size() - 1));
        }
      } catch (IllegalArgumentException bad) {
        JsonAnswer.error(ctx, 400, "the query of " + q.rawPath() + " is malformed: " + bad.getMessage(), "query", keepAlive);
        return;
      }
      byte[] body = ByteBufUtil.getBytes(req.content());
      String method = req.method().name();
      String path = q.rawPath(); // decoded once, segment by segment, by the router
      Router.Match m;
      try {
        m = router.match(method, path);
      } catch (RuntimeException bad) {
        ApiFailure f = ApiFailure.of(bad);
        JsonAnswer.error(ctx, f.status(), f.getMessage(), f.field(), keepAlive);
        return;
      }
      if (m.handler() == null) {
        JsonAnswer.error(ctx, m.status(), m.status() == 405 ? method + " is not allowed on " + path
            : "no such path " + path, null, keepAlive);
        return;
      }
      Caller caller;
      try {
        caller = callerOf(ctx, req);
        if (Boolean.TRUE.equals(ctx.channel().attr(JOIN_CHANNEL).get()) && m.access() != Access.JOIN) {
          throw new ApiFailure(403, method + " " + path + " is not served on the join channel: connect with a certificate");
        }
        router.guard().check(caller, m.access());
        if (!m.access().admits(caller)) {
          throw m.access().refusal(caller, method, path);
        }
      } catch (RuntimeException refused) {
        ApiFailure f = ApiFailure.of(refused);
        JsonAnswer.error(ctx, f.status(), f.getMessage(), f.field(), keepAlive);
        return;
      }
      ApiRequest request = new ApiRequest(method, path, m.vars(), query, body, caller);
      ctx.channel().attr(BUSY).set(true);
      CompletableFuture<CompletableFuture<ApiResponse>> handled;
      try {
        handled = CompletableFuture.supplyAsync(() -> m.handler().handle(request), workers);
      } catch (RejectedExecutionException full) {
        JsonAnswer.error(ctx, 503, busy(), null, keepAlive);
        return;
      }
      handled
          .thenCompose(f -> f)
          .whenComplete((resp, err) -> {
            if (err != null) {
              ApiFailure f = ApiFailure.of(err);
              if (f.status() >= 500) {
                LOG.warn("{} {}: {}", method, path, f.getMessage(), f.status() == 500 ? err : null);
              }
              JsonAnswer.error(ctx, f.status(), f.getMessage(), f.field(), keepAlive);
            } else if (resp instanceof ApiResponse.Json j) {
              JsonAnswer.write(ctx, j.status(), j.body(), keepAlive);
            } else if (resp instanceof ApiResponse.Stream s) {
              try {
                streams.execute(() -> stream(ctx, s));
              } catch (RejectedExecutionException full) {
                JsonAnswer.error(ctx, 503, "the API is busy: " + limits.maxStreams() + " streams (log follows) are open;"
                    + " try again later", null, false);
              }
            }
          });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /** A request the codec could not read: 414 a request line too long, 431 headers too large, 400 anything else; then closed. */
  private void malformed(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      JsonAnswer.error(ctx, 414, "the request line is longer than the API's limit of " + limits.maxInitialLine() + " bytes",
          "requestLine", false);
    } else if (cause instanceof TooLongHttpHeaderException) {
      JsonAnswer.error(ctx, 431, "the request headers are larger than the API's limit of " + limits.maxHeaderBytes() + " bytes",
          "headers", false);
    } else {
      JsonAnswer.error(ctx, 400, "not an HTTP/1.1 request: " + cause.getMessage(), "request", false);
    }
  }

  /**
   * The connection's caller (local socket, certificate, none), or, when a manager forwards the
   * request, the caller its {@link Caller#HEADER} names: believed from a manager's certificate only.
   */
  private static Caller callerOf(ChannelHandlerContext ctx, FullHttpRequest req) {
    Caller conn = ctx.channel().attr(CALLER).get();
    if (conn == null) {
      conn = certified(ctx);
      ctx.channel().attr(CALLER).set(conn);
    }
    String forwarded = req.headers().get(Caller.HEADER);
    if (forwarded == null) {
      return conn;
    }
    if (!(conn instanceof Caller.Certified c && c.is(meshplane.pki.CertRole.MANAGER))) {
      throw new ApiFailure(403, Caller.HEADER + " is believed from a manager only; the caller is " + conn.describe());
    }
    return Caller.parseHeader(forwarded);
  }

  private static Caller certified(ChannelHandlerContext ctx) {
    SslHandler ssl = ctx.pipeline().get(SslHandler.class);
    if (ssl == null) {
      throw new ApiFailure(403, "no TLS on this connection");
    }
    try {
      java.security.cert.Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
      return new Caller.Certified(meshplane.pki.NodeIdentity.of((java.security.cert.X509Certificate) chain[0]));
    } catch (javax.net.ssl.SSLPeerUnverifiedException none) {
      return Caller.ANONYMOUS;
    } catch (IllegalArgumentException e) {
      throw new ApiFailure(403, "the client certificate names no node or client: " + e.getMessage());
    }
  }

  /** SNI: the join channel's context for {@link ServerTls#JOIN_SERVER_NAME}, the nodes' one otherwise; the choice marked on the channel. */
  private static final class JoinChannelSni extends SniHandler {
    JoinChannelSni(ServerTls tls) {
      super((io.netty.util.Mapping<String, SslContext>) tls::forServerName);
    }

    @Override
    protected void replaceHandler(ChannelHandlerContext ctx, String hostname, SslContext sslContext) throws Exception {
      ctx.channel().attr(JOIN_CHANNEL).set(ServerTls.JOIN_SERVER_NAME.equalsIgnoreCase(hostname));
      super.replaceHandler(ctx, hostname, sslContext);
    }
  }

  /**
   * Writes a streamed answer on a thread of {@link #streams}, with backpressure
   * ({@link StreamOutput}). When the client leaves, the writer is interrupted, so what it holds
   * (a follow's upstream connections, its threads) is let go at once, not at its next line.
   */
  private void stream(ChannelHandlerContext ctx, ApiResponse.Stream s) {
    DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    head.headers().set(HttpHeaderNames.CONTENT_TYPE, s.contentType())
        .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED)
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.writeAndFlush(head);
    Thread self = Thread.currentThread();
    Object running = new Object();
    boolean[] done = {false};
    ChannelFutureListener leave = f -> {
      synchronized (running) {
        if (!done[0]) {
          self.interrupt();
        }
      }
    };
    ctx.channel().closeFuture().addListener(leave);
    try {
      s.writer().write(new StreamOutput(ctx.channel(), limits.streamStallSeconds()));
    } catch (IOException e) {
      LOG.debug("stream ended: {}", e.getMessage());
    } catch (InterruptedException e) {
      LOG.debug("stream stopped: its client left");
    } catch (RuntimeException e) {
      LOG.warn("stream failed: {}", e.toString());
    } finally {
      synchronized (running) {
        done[0] = true;
      }
      Thread.interrupted(); // the thread goes back to the pool without a stray interrupt
      ctx.channel().closeFuture().removeListener(leave);
      ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
