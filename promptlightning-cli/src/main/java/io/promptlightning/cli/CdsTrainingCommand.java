package io.promptlightning.cli;

import io.promptlightning.ExecutionRecord;
import io.promptlightning.SqliteExecutionLog;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * Not for users: the launcher runs this once per jar with {@code -XX:DumpLoadedClassList} to learn which classes the
 * commands load, then dumps them into a class data sharing archive that later runs map instead of loading and
 * verifying them again. It runs every command on throw-away projects in a temporary directory, printing nothing.
 */
final class CdsTrainingCommand extends CliCommand {
    CdsTrainingCommand(PromptLightningCli root) {
        super(root, "cds-training", "Not for users: runs every command once, for the launcher's CDS archive.");
        spec.usageMessage().hidden(true);
    }

    @Override
    public Integer call() throws IOException {
        Path temp = Files.createTempDirectory("promptlightning-cds");
        try {
            PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
            Path project = temp.resolve("project");
            Files.createDirectories(project);
            Path home = temp.resolve("home");
            String batch = "{\"id\":\"summarizer\",\"inputs\":{\"input_text\":\"x\"}}\nnot json\n"
                    + "{\"id\":\"missing\",\"inputs\":{}}\n";
            String[][] runs = {
                {"list"}, {"list", "--json"}, {"get", "summarizer"}, {"get", "summarizer", "--format", "json"},
                {"get", "summarizer", "--format", "yaml"}, {"export"}, {"validate"},
                {"render", "summarizer", "--input-text", "Some text"},
                {"render", "summarizer", "--inputs", "{\"input_text\": \"x\"}", "--json"},
                {"render", "summarizer"}, {"render", "nosuch"}, {"render", "--batch"},
                {"bump", "summarizer", "--patch", "-m", "Training"}, {"label", "summarizer", "production", "1.0.0"},
                {"versions", "summarizer"}, {"versions", "summarizer", "--json"}, {"labels", "summarizer"},
                {"labels", "summarizer", "--history", "--json"}, {"get", "summarizer@production"},
                {"render", "summarizer@1.0.0", "--input-text", "x"}, {"rollback", "summarizer", "latest"},
                {"search", "--tag", "x", "--meta", "a=b"}, {"stats"}, {"stats", "--json"},
                {"delete", "summarizer@9.9.9"}, {"delete", "summarizer"},
                {"list", "--bad-option"}, {"--help"}, {"render", "--help"},
                {"logs"}, {"logs", "--json", "--since", "7d"}, {"costs"}, {"costs", "--by", "day", "--json"},
                {"run", "summarizer", "--model", "gpt-4o-mini", "--input-text", "x", "--temperature", "0.2"},
                {"run", "summarizer", "--model", "gpt-4o-mini", "--input-text", "x", "--json", "--seed", "7"},
                {"run", "summarizer", "--model", "gpt-4o-mini", "--input-text", "x", "--stream", "--quiet"},
                {"run", "summarizer", "--model", "gpt-4o-mini"}, {"run", "summarizer", "--model", "nosuch"},
            };
            HttpServer provider = fakeOpenAi();
            Map<String, String> environment = Map.of("OPENAI_API_KEY", "training",
                    "OPENAI_BASE_URL", "http://127.0.0.1:" + provider.getAddress().getPort() + "/v1");
            try {
                trainWith(environment, temp, project, home, sink, batch, runs);
            } finally {
                provider.stop(0);
            }
        } finally {
            Project.deleteTree(temp);
        }
        return PromptLightningCli.OK;
    }

    private static void trainWith(Map<String, String> environment, Path temp, Path project, Path home,
            PrintStream sink, String batch, String[][] runs) throws IOException {
        for (String[] args : runs) {
            run(environment, home, temp, sink, batch, args);
        }
        run(home, project, sink, batch, "init");
        run(home, project, sink, batch, "init", "--registry", "lmdb");
        try (SqliteExecutionLog log = SqliteExecutionLog.builder(project.resolve("promptlightning.db"))
                .reportTo(sink).build()) {
            log.append(new ExecutionRecord("summarizer", "1.0.0", null, Map.of("input_text", "x"), "y", "openai",
                    "gpt-4o", 10, 5, 0.0001, 100, Instant.now(), null, null));
        }
        for (String[] args : runs) {
            run(environment, home, project, sink, batch, args);
        }
        run(home, project, sink, batch, "export", "--format", "yaml-dir", "--out", "exported");
        run(home, project, sink, batch, "migrate", "--prompt-dir", "exported", "--db-path", "migrated.lmdb");
        run(home, project, sink, batch, "export", "--out", "all.jsonl");
        run(home, project, sink, batch, "export", "--format", "lmdb", "--out", "exported.lmdb");
        run(home, project, sink, batch, "import", "all.jsonl");
        run(home, project, sink, batch, "import", "all.jsonl", "--replace");
        run(home, project, sink, batch, "backup", "backup.lmdb");
        run(home, project, sink, batch, "restore", "backup.lmdb", "--yes");
    }

    private static void run(Path home, Path workDir, PrintStream sink, String batch, String... args) {
        run(Map.of(), home, workDir, sink, batch, args);
    }

    /** Runs a command seeing only {@code environment}: a key in the real one must never reach a real provider. */
    private static void run(Map<String, String> environment, Path home, Path workDir, PrintStream sink,
            String batch, String... args) {
        PromptLightningCli.run(new CliContext(workDir, home,
                new ByteArrayInputStream(batch.getBytes(StandardCharsets.UTF_8)), sink, sink)
                .withEnvironment(environment), args);
    }

    /** A server on 127.0.0.1 answering chat completions as OpenAI does, whole or streamed, for the run command. */
    private static HttpServer fakeOpenAi() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String usage = "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,\"total_tokens\":11}";
            String answer;
            if (request.replace(" ", "").contains("\"stream\":true")) {
                exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
                String chunk = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":0,"
                        + "\"model\":\"gpt-4o-mini\",\"choices\":";
                answer = "data: " + chunk + "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"A"
                        + " summary\"},\"finish_reason\":null}]}\n\n"
                        + "data: " + chunk + "[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                        + "data: " + chunk + "[]," + usage + "}\n\ndata: [DONE]\n\n";
            } else {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                answer = "{\"id\":\"c\",\"object\":\"chat.completion\",\"created\":0,\"model\":\"gpt-4o-mini\","
                        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"A summary\"},"
                        + "\"finish_reason\":\"stop\"}]," + usage + "}";
            }
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }
}
