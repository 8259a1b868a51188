package dev.breaker.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw HTTP/1.1 server on 127.0.0.1 (ephemeral port) that never finishes a response: its accept
 * thread takes one connection at a time, reads the request head, records the time, optionally
 * sends response headers and part of a body, then blocks on {@code in.read()} until the client
 * closes or resets the connection (-1 or an exception), and records that time.
 */
final class RawServer implements AutoCloseable {
    /** How long a connection may stay open before the server gives up on seeing it closed. */
    private static final int GIVE_UP_MILLIS = 60_000;

    /** What the server does once the request head has arrived. */
    enum Mode {
        /** Sends nothing at all. */
        NEVER_ANSWER,
        /** Sends the response headers (Content-Length: 1000) and 5 bytes of the body. */
        STALL_BODY
    }

    /** One accepted connection, as the server saw it. */
    static final class Conn {
        final CountDownLatch arrived = new CountDownLatch(1);
        final CountDownLatch closed = new CountDownLatch(1);
        volatile long arrivedAt;
        volatile long closedAt;
        volatile String how;
        volatile String head;

        /** Waits (generously) for the request head; fails the test if it does not come. */
        void awaitArrived() throws InterruptedException {
            if (!arrived.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("the request never arrived");
            }
        }

        /** Whether the server saw the connection closed within {@code millis}. */
        boolean awaitClosed(long millis) throws InterruptedException {
            return closed.await(millis, TimeUnit.MILLISECONDS);
        }
    }

    private final ServerSocket server;
    private final Mode mode;
    private final AtomicInteger connections = new AtomicInteger();
    private final BlockingQueue<Conn> accepted = new LinkedBlockingQueue<>();
    private final Thread acceptor;
    private volatile Socket current;

    RawServer(Mode mode) throws IOException {
        this.mode = mode;
        this.server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        this.acceptor = new Thread(this::acceptLoop, "raw-server-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + path);
    }

    /** Connections accepted so far. */
    int connections() {
        return connections.get();
    }

    /** The next connection accepted; waits generously for it. */
    Conn nextConnection() throws InterruptedException {
        Conn c = accepted.poll(30, TimeUnit.SECONDS);
        if (c == null) {
            throw new AssertionError("no connection came");
        }
        return c;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                current = s;
                connections.incrementAndGet();
                Conn c = new Conn();
                accepted.add(c);
                serve(s, c);
            } catch (IOException e) {
                // the server was closed, or one connection failed: go on or end with the loop test
            }
        }
    }

    private void serve(Socket s, Conn c) throws IOException {
        s.setSoTimeout(GIVE_UP_MILLIS);
        InputStream in = s.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        while (last4 != 0x0d0a0d0a) {
            int b = in.read();
            if (b < 0) {
                return; // closed before the head was complete (a probe): not a request
            }
            head.write(b);
            last4 = (last4 << 8) | b;
        }
        c.head = head.toString(StandardCharsets.ISO_8859_1);
        if (mode == Mode.STALL_BODY) {
            OutputStream out = s.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nhello".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
        c.arrivedAt = System.nanoTime();
        c.arrived.countDown();
        try {
            while (in.read() >= 0) {
                // a client may send more (a body): keep reading until it closes
            }
            c.how = "end of stream";
        } catch (SocketTimeoutException e) {
            c.how = "still open after " + GIVE_UP_MILLIS + " ms";
            return; // closed is never counted down: the test fails on it
        } catch (IOException e) {
            c.how = e.toString(); // a reset
        }
        c.closedAt = System.nanoTime();
        c.closed.countDown();
    }

    @Override
    public void close() throws Exception {
        server.close();
        Socket s = current;
        if (s != null) {
            s.close();
        }
        acceptor.join(10_000);
    }
}
