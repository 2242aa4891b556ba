package com.aiw3.sse.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.Queue;

/** What the load client processes share: their orchestrator's commands on stdin, and closing a connection. */
final class ClientProcesses {

    private ClientProcesses() {}

    /**
     * Reads the orchestrator's commands from stdin into {@code commands}, waking {@code selector} for each;
     * {@code exit} once stdin ends. Runs on a thread of its own.
     */
    static void readCommands(Queue<String> commands, Selector selector) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                commands.add(line);
                selector.wakeup();
            }
        } catch (IOException ignored) {
            // the orchestrator went away
        }
        commands.add("exit");
    }

    static void closeQuietly(SelectionKey key) {
        try {
            key.channel().close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
