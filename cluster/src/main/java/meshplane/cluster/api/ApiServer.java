package meshplane.cluster.api;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
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
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
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
  private final EventLoopGroup group;
  private final Channel channel;
  /**
   * Handlers and log streams run here, off the event loop: at most {@value #MAX_WORKERS} at once
   * (idle ones end after a minute); one more is answered 503 at once instead of queueing or
   * growing a thread per request. Long polls hold no worker: they wait on futures.
   */
  static final int MAX_WORKERS = 64;
  private final ExecutorService workers = new java.util.concurrent.ThreadPoolExecutor(0, MAX_WORKERS, 60,
      java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(), r -> {
        Thread t = new Thread(r, "api-worker");
        t.setDaemon(true);
        return t;
      });

  /**
   * A connection with no request in progress for this long is closed (a kept-alive one a client
   * forgot, a peer that connected and said nothing); one serving a long poll or a log stream is not.
   */
  static final int IDLE_SECONDS = 60;
  static final AttributeKey<Boolean> BUSY = AttributeKey.valueOf("meshplane.busy");

  /** Where a channel's caller and join-channel mark are kept. */
  static final AttributeKey<Caller> CALLER = AttributeKey.valueOf("meshplane.caller");
  static final AttributeKey<Boolean> JOIN_CHANNEL = AttributeKey.valueOf("meshplane.join-channel");

  private final String describe;

  private ApiServer(Router router, String describe, EventLoopGroup group,
      java.util.function.Function<ChannelHandler, ServerBootstrap> bootstrap, java.net.SocketAddress bind)
      throws InterruptedException {
    this.router = router;
    this.describe = describe;
    this.group = group;
    try {
      this.channel = bootstrap.apply(dispatch).bind(bind).sync().channel();
    } catch (RuntimeException | InterruptedException e) {
      group.shutdownGracefully();
      throw e;
    }
  }

  /**
   * Serves {@code router} on {@code bind} (in the calling thread's network namespace) over mutual
   * TLS 1.3 with the node's current certificate ({@link ServerTls}): no plaintext, no peer
   * without a certificate outside the join channel.
   */
  public static ApiServer tcp(Router router, InetSocketAddress bind, ServerTls tls) {
    NettyTransport transport = NettyTransport.select(TransportChoice.AUTO, "API server on " + bind);
    EventLoopGroup group = transport.newGroup(2, new io.netty.util.concurrent.DefaultThreadFactory("api", true));
    return start(() -> new ApiServer(router, bind.toString(), group, dispatch -> new ServerBootstrap().group(group)
        .channelFactory(transport.server())
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(new IdleStateHandler(0, 0, IDLE_SECONDS), IDLE_CLOSER, new JoinChannelSni(tls),
                new HttpServerCodec(), new HttpObjectAggregator(4 << 20), dispatch);
          }
        }), bind), bind.toString());
  }

  /**
   * Serves {@code router} on the unix socket {@code path}, made mode 0600 and for root only (its
   * peer's uid is checked on each connection): the local API, whose callers are {@link Caller#LOCAL}.
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
    ApiServer s = start(() -> new ApiServer(router, "unix://" + path, group, dispatch -> new ServerBootstrap().group(group)
        .channel(EpollServerDomainSocketChannel.class)
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
            ch.pipeline().addLast(new IdleStateHandler(0, 0, IDLE_SECONDS), IDLE_CLOSER, new HttpServerCodec(),
                new HttpObjectAggregator(4 << 20), dispatch);
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

  /** Closes a connection idle for {@link #IDLE_SECONDS} unless a request on it is being answered. */
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

  @Override
  public void close() {
    channel.close().awaitUninterruptibly();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
    workers.shutdownNow();
  }

  @ChannelHandler.Sharable
  private final class Dispatch extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      boolean keepAlive = HttpUtil.isKeepAlive(req);
      QueryStringDecoder q = new QueryStringDecoder(req.uri());
      Map<String, String> query = new HashMap<>();
      for (Map.Entry<String, List<String>> e : q.parameters().entrySet()) {
        query.put(e.getKey(), e.getValue().isEmpty() ? "" : e.getValue().get(e.getValue().size() - 1));
      }
      byte[] body = ByteBufUtil.getBytes(req.content());
      String method = req.method().name();
      String path = q.rawPath(); // decoded once, segment by segment, by the router
      Router.Match m;
      try {
        m = router.match(method, path);
      } catch (RuntimeException bad) {
        ApiFailure f = ApiFailure.of(bad);
        writeJson(ctx, f.status(), error(f.getMessage(), f.field()), keepAlive);
        return;
      }
      if (m.handler() == null) {
        writeJson(ctx, m.status(), error(m.status() == 405 ? method + " is not allowed on " + path
            : "no such path " + path, null), keepAlive);
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
        writeJson(ctx, f.status(), error(f.getMessage(), f.field()), keepAlive);
        return;
      }
      ApiRequest request = new ApiRequest(method, path, m.vars(), query, body, caller);
      ctx.channel().attr(BUSY).set(true);
      CompletableFuture<CompletableFuture<ApiResponse>> handled;
      try {
        handled = CompletableFuture.supplyAsync(() -> m.handler().handle(request), workers);
      } catch (java.util.concurrent.RejectedExecutionException busy) {
        writeJson(ctx, 503, error("the API is busy: " + MAX_WORKERS + " requests are being served; try again", null), keepAlive);
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
              writeJson(ctx, f.status(), error(f.getMessage(), f.field()), keepAlive);
            } else if (resp instanceof ApiResponse.Json j) {
              writeJson(ctx, j.status(), j.body(), keepAlive);
            } else if (resp instanceof ApiResponse.Stream s) {
              try {
                workers.execute(() -> stream(ctx, s));
              } catch (java.util.concurrent.RejectedExecutionException busy) {
                writeJson(ctx, 503, error("the API is busy: " + MAX_WORKERS + " requests are being served; try again", null), keepAlive);
              }
            }
          });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
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

  private static Map<String, Object> error(String message, String field) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("error", message);
    if (field != null) {
      m.put("field", field);
    }
    return m;
  }

  private static void writeJson(ChannelHandlerContext ctx, int status, Object body, boolean keepAlive) {
    byte[] bytes;
    try {
      bytes = ApiJson.MAPPER.writeValueAsBytes(body);
    } catch (IOException e) {
      status = 500;
      bytes = ("{\"error\":\"cannot encode the answer: " + e.getMessage().replace('"', '\'') + "\"}").getBytes();
    }
    FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
        Unpooled.wrappedBuffer(bytes));
    resp.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
    ctx.channel().attr(BUSY).set(false); // answered: idle from now on, as far as the idle closer goes
    if (keepAlive) {
      resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      ctx.writeAndFlush(resp);
    } else {
      ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
    }
  }

  private static void stream(ChannelHandlerContext ctx, ApiResponse.Stream s) {
    DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    head.headers().set(HttpHeaderNames.CONTENT_TYPE, s.contentType())
        .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED)
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.writeAndFlush(head);
    OutputStream out = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (!ctx.channel().isActive()) {
          throw new IOException("the client went away");
        }
        ByteBuf buf = Unpooled.copiedBuffer(b, off, len);
        ctx.writeAndFlush(new DefaultHttpContent(buf));
      }
    };
    try {
      s.writer().write(out);
    } catch (IOException e) {
      LOG.debug("stream ended: {}", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.warn("stream failed: {}", e.toString());
    } finally {
      ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
