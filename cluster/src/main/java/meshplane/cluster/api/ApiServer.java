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
import io.netty.channel.socket.SocketChannel;
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
 * The API's HTTP/1.1 server on Netty (io_uring, else epoll: {@link NettyTransport}). Handlers run off the event loop
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

  private ApiServer(Router router, InetSocketAddress bind) throws InterruptedException {
    this.router = router;
    NettyTransport transport = NettyTransport.select(TransportChoice.AUTO, "API server on " + bind);
    this.group = transport.newGroup(2, new io.netty.util.concurrent.DefaultThreadFactory("api", true));
    ServerBootstrap b = new ServerBootstrap().group(group)
        .channelFactory(transport.server())
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(4 << 20), new Dispatch());
          }
        });
    try {
      this.channel = b.bind(bind).sync().channel();
    } catch (RuntimeException | InterruptedException e) {
      group.shutdownGracefully();
      throw e;
    }
  }

  /** Serves {@code router} on {@code bind} (in the calling thread's network namespace). */
  public static ApiServer start(Router router, InetSocketAddress bind) {
    try {
      return new ApiServer(router, bind);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while binding the API to " + bind, e);
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot serve the API on " + bind + ": " + e.getMessage(), e);
    }
  }

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
      Router.Match m = router.match(method, q.path());
      if (m.handler() == null) {
        writeJson(ctx, m.status(), error(m.status() == 405 ? method + " is not allowed on " + q.path()
            : "no such path " + q.path(), null), keepAlive);
        return;
      }
      ApiRequest request = new ApiRequest(method, q.path(), m.vars(), query, body);
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
                LOG.warn("{} {}: {}", method, q.path(), f.getMessage(), f.status() == 500 ? err : null);
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
