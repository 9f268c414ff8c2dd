package dev.parley.bench.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bench's event loops and the source addresses its sockets bind to.
 *
 * <p>Every connection lives on one event loop for its whole life, and each loop carries thousands
 * of connections: the bench never uses a thread per connection, so its own scheduling does not
 * distort what it measures as the connection count grows.
 *
 * <p>Source addresses: one local address has about 28,000 ephemeral ports (Linux default range
 * 32768-60999), and each connection to the same server address and port needs its own. With {@code
 * sourceAddresses = N > 1} connections bind to 127.0.0.1 .. 127.0.0.N in turn, which lifts the
 * limit to N × 28,000 against a server on the loopback interface (all of 127/8 is local on Linux).
 * With 1 the operating system picks the source address, which also works against remote servers.
 */
public final class NetLoops implements AutoCloseable {
  private final EventLoopGroup group;
  private final Class<? extends SocketChannel> channelClass;
  private final List<InetAddress> sources;
  private final AtomicInteger nextSource = new AtomicInteger();
  private final String transport;

  public NetLoops(int threads, int sourceAddresses) {
    if (sourceAddresses < 1 || sourceAddresses > 254) {
      throw new IllegalArgumentException("source addresses must be 1..254, not " + sourceAddresses);
    }
    boolean epoll = Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    this.group =
        new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("bench-io", true), io);
    this.channelClass = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    this.transport = epoll ? "epoll" : "nio";
    this.sources = new ArrayList<>();
    if (sourceAddresses > 1) {
      for (int i = 1; i <= sourceAddresses; i++) {
        try {
          sources.add(InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) i}));
        } catch (UnknownHostException e) {
          throw new IllegalStateException(e);
        }
      }
    }
  }

  /**
   * A bootstrap whose channel lives on {@code loop} (one of {@link #next()}); each call binds the
   * next source address (if several are set).
   */
  Bootstrap bootstrap(EventLoop loop) {
    Bootstrap b =
        new Bootstrap()
            .group(loop)
            .channel(channelClass)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
    if (!sources.isEmpty()) {
      InetAddress local = sources.get(Math.floorMod(nextSource.getAndIncrement(), sources.size()));
      b.localAddress(new InetSocketAddress(local, 0));
    }
    return b;
  }

  /**
   * The next event loop, round robin: a connection (or a device, across reconnects) stays on it.
   */
  public EventLoop next() {
    return group.next();
  }

  /** "epoll" or "nio". */
  public String transport() {
    return transport;
  }

  public int sourceAddresses() {
    return Math.max(1, sources.size());
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
