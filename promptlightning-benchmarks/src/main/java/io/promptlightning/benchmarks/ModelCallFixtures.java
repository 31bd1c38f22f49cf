package io.promptlightning.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.promptlightning.LocalRegistry;
import io.promptlightning.SqliteExecutionLog;
import io.promptlightning.Vault;
import io.promptlightning.llm.LlmSettings;
import io.promptlightning.providers.LangChainClientFactory;
import io.promptlightning.testing.FakeProviderServer;

/**
 * What the model-call benchmarks run: the example {@code summarizer} in a prompt directory, a vault whose calls go
 * through the LangChain4j client of {@code promptlightning-llm} to a {@link FakeProviderServer} on 127.0.0.1, and
 * execution logs of a chosen size.
 */
final class ModelCallFixtures {
    static final String TEMPLATE = Examples.SUMMARIZER;
    static final String MODEL = "gpt-4o-mini";
    private static final String KEY = "sk-bench-0000";
    private static final DateTimeFormatter SQL_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    private ModelCallFixtures() {
    }

    /** The settings that send every provider's calls to {@code server}. */
    static LlmSettings settings(FakeProviderServer server) {
        Map<String, String> environment = server.environment(KEY);
        return (provider, key, envNames) -> {
            for (String name : envNames) {
                String value = environment.get(name);
                if (value != null) {
                    return Optional.of(value);
                }
            }
            return Optional.empty();
        };
    }

    /** A vault over a new prompt directory in {@code dir} holding the summarizer, calling {@code server}. */
    static Vault.Builder vault(Path dir, FakeProviderServer server) {
        Path prompts = dir.resolve("prompts");
        try {
            Files.createDirectories(prompts);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RegistryFixtures.writeFiles(prompts, List.of(RegistryFixtures.examples().get(0)));
        return Vault.builder(LocalRegistry.open(prompts))
                .llmClientFactory(new LangChainClientFactory())
                .llmSettings(settings(server))
                .warnings(warning -> { });
    }

    /**
     * An execution log at {@code file} already holding {@code rows} runs (of 20 templates and 4 models over the last
     * 30 days), written with plain JDBC in one transaction after the log made its table and indexes.
     */
    static void fillLog(Path file, int rows) {
        SqliteExecutionLog.open(file).close();
        if (rows == 0) {
            return;
        }
        List<String> models = List.of("gpt-4o-mini", "gpt-4o", "claude-haiku-4-5", "gemini-2.5-flash");
        long now = Instant.now().getEpochSecond();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath())) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO logs (prompt_id, version, inputs_json,"
                    + " output_text, cost, latency_ms, provider, model, tokens_in, tokens_out, cost_usd, created_at,"
                    + " label, error, price_source) VALUES (?, '1.0.0', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'latest', NULL,"
                    + " 'shipped prices as of 2026-04-23')")) {
                for (int i = 0; i < rows; i++) {
                    String model = models.get(i % models.size());
                    double cost = 1e-6 * (i % 1000);
                    insert.setString(1, "template_" + (i % 20));
                    insert.setString(2, "{\"input_text\":\"document " + i + "\"}");
                    insert.setString(3, "- point one\n- point two\n- point three (" + i + ")");
                    insert.setDouble(4, cost);
                    insert.setLong(5, 300 + i % 700);
                    insert.setString(6, model.startsWith("gpt") ? "openai" : model.startsWith("claude") ? "anthropic"
                            : "gemini");
                    insert.setString(7, model);
                    insert.setLong(8, 100 + i % 400);
                    insert.setLong(9, 20 + i % 80);
                    insert.setDouble(10, cost);
                    insert.setString(11, SQL_TIME.format(Instant.ofEpochSecond(now - (long) i * 30 * 86_400 / rows)));
                    insert.addBatch();
                    if (i % 10_000 == 9_999) {
                        insert.executeBatch();
                    }
                }
                insert.executeBatch();
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot fill the execution log " + file, e);
        }
    }
}
