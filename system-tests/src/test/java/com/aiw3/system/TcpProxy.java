package com.aiw3.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay in front of a server (PostgreSQL here) that can be cut: while cut, the port refuses
 * connections and every open connection is reset, as when the database host becomes unreachable.
 */
final class TcpProxy implements AutoCloseable {

    private final int port;
    private final int upstream;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;

    TcpProxy(int port, int upstream) throws IOException {
        this.port = port;
        this.upstream = upstream;
        listen();
    }

    private void listen() throws IOException {
        ServerSocket socket = new ServerSocket(port, 200, InetAddress.getLoopbackAddress());
        socket.setReuseAddress(true);
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
    void cut() {
        closeQuietly(server);
        open.forEach(TcpProxy::closeQuietly);
        open.clear();
    }

    void restore() throws IOException {
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
