package com.aiw3.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay in front of a local server (PostgreSQL in the outage tests) that can be cut: while cut, the
 * port refuses connections and every open connection is reset, as when the database host becomes
 * unreachable. {@link #restore} listens on the same port again.
 */
public final class TcpProxy implements AutoCloseable {

    private final int upstream;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile int port;
    private volatile ServerSocket server;

    /**
     * @param port     the local port to listen on; 0 picks a free one (see {@link #port()})
     * @param upstream the port of the server on the loopback address
     */
    public TcpProxy(int port, int upstream) throws IOException {
        this.port = port;
        this.upstream = upstream;
        listen();
    }

    /** A relay on a free port. */
    public static TcpProxy to(int upstream) {
        try {
            return new TcpProxy(0, upstream);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    private void listen() throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        port = socket.getLocalPort();
        server = socket;
        Thread.ofVirtual().name("tcp-proxy-" + port).start(() -> accept(socket));
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Socket target = new Socket(InetAddress.getLoopbackAddress(), upstream);
                open.add(client);
                open.add(target);
                Thread.ofVirtual().start(() -> pump(client, target));
                Thread.ofVirtual().start(() -> pump(target, client));
            } catch (IOException e) {
                // closed by cut() or close()
            }
        }
    }

    private void pump(Socket from, Socket to) {
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // one side went away; the finally closes both
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /** Refuses and resets everything until {@link #restore}. */
    public void cut() {
        closeQuietly(server);
        open.forEach(TcpProxy::closeQuietly);
        open.clear();
    }

    /** Accepts connections again, on the same port. */
    public void restore() throws IOException {
        listen();
    }

    @Override
    public void close() {
        cut();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // already closed
        }
    }
}
