package io.promptlightning;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.promptlightning.internal.LlmClients;
import io.promptlightning.internal.ModelCalls;
import io.promptlightning.internal.PriceTable;
import io.promptlightning.internal.ProviderSettings;
import io.promptlightning.internal.Sleeper;
import io.promptlightning.internal.VaultConfig;
import io.promptlightning.llm.LlmClient;
import io.promptlightning.llm.LlmClientFactory;
import io.promptlightning.llm.LlmSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The entry point for applications: templates by id, compiled once and cached, from a registry.
 *
 * <pre>{@code
 * try (Vault vault = Vault.open(Path.of("promptlightning.yaml"))) {
 *     String prompt = vault.get("summarizer").render(Map.of("input_text", text));
 * }
 * }</pre>
 *
 * {@link #get} takes a plain id, {@code id@version} or {@code id@label} ({@link TemplateRef}). A plain id serves
 * the {@linkplain Builder#defaultLabel default label}: {@code latest} unless configured otherwise.
 *
 * <p>A handle for a pinned version ({@code id@1.2.0}) is cached for good, since a version never changes. Any other
 * cached handle is never served after a change is visible to the registry: each entry remembers the registry's
 * {@link Registry#generation() generation} it was loaded at, and a newer generation (a save, a label move, a file
 * edit, a write by another process) makes it reload. Thread-safe; configuration is fixed once built.
 *
 * <p>Handles run templates against models ({@link TemplateHandle#execute}) through the vault's model client: the one
 * given to the {@linkplain Builder#llmClient builder}, else one made by the {@link LlmClientFactory} found on the
 * class path ({@code io.promptlightning:promptlightning-llm}), on first use, so a vault that only renders needs no
 * provider module. Closing the vault waits for runs still under way, then closes the client and the execution log.
 */
public final class Vault implements AutoCloseable {
    /** Handles cached when nothing else is configured, as in the original. */
    public static final int DEFAULT_CACHE_SIZE = 1000;

    private final Registry registry;
    private final Cache<String, Entry> cache;
    private final String defaultLabel;
    private final ModelRuns runs;
    /** The generation a pinned entry is stamped with: it matches whatever the registry's generation is. */
    private static final long PINNED = Long.MIN_VALUE;

    private static final class Entry {
        final TemplateHandle handle;
        final long generation;

        Entry(TemplateHandle handle, long generation) {
            this.handle = handle;
            this.generation = generation;
        }
    }

    private Vault(Registry registry, int cacheSize, String defaultLabel, ModelRuns runs) {
        this.registry = registry;
        this.cache = Caffeine.newBuilder().maximumSize(cacheSize).build();
        this.defaultLabel = defaultLabel;
        this.runs = runs;
    }

    /**
     * A vault as a {@code promptlightning.yaml} describes it ({@code registry: local|lmdb}, {@code prompt_dir},
     * {@code db_path}, the execution log in {@code logging:}, and for model calls {@code providers:},
     * {@code prices:}, {@code llm:}); relative paths are resolved against the config file's directory, and a
     * {@code .env} file is looked for there first, then in the working directory.
     */
    public static Vault open(Path configFile) {
        VaultConfig config = VaultConfig.read(configFile);
        requirePrices(config, configFile);
        config.applyMaxFileSize();
        Registry registry = config.usesLmdb()
                ? LmdbRegistry.builder(config.dbPath()).readOnly(config.readOnly())
                        .compressHistory(config.compressHistory()).build()
                : LocalRegistry.builder(config.promptDir()).readOnly(config.readOnly()).build();
        return builder(registry).config(config).build();
    }

    private static void requirePrices(VaultConfig config, Path configFile) {
        if (config.prices() != null && !Files.isRegularFile(config.prices())) {
            throw new ValidationException("'prices' names a file that does not exist: " + config.prices(), null,
                    configFile, 0, null);
        }
    }

    /** A vault over a directory of YAML template files. */
    public static Vault ofPromptDir(Path promptDir) {
        return builder(LocalRegistry.open(promptDir)).build();
    }

    /** A vault over an LMDB database. */
    public static Vault ofLmdb(Path dbPath) {
        return builder(LmdbRegistry.open(dbPath)).build();
    }

    /** A vault over any registry; the vault closes it when closed. */
    public static Builder builder(Registry registry) {
        return new Builder(registry);
    }

    /**
     * The template a reference names, compiled: {@code id}, {@code id@version} or {@code id@label}.
     *
     * @throws TemplateNotFoundException if there is no such template, version or label (listing the known ones)
     * @throws ValidationException       if the reference is malformed, or the template's file or record is invalid
     *                                   (naming file and line where known)
     */
    public TemplateHandle get(String ref) {
        Objects.requireNonNull(ref, "ref");
        long generation = registry.generation();
        Entry entry = cache.getIfPresent(ref);
        if (entry != null && (entry.generation == generation || entry.generation == PINNED)) {
            return entry.handle;
        }
        TemplateRef parsed = TemplateRef.parse(ref);
        if (parsed.version() == null && parsed.label() == null && !Labels.LATEST.equals(defaultLabel)) {
            parsed = TemplateRef.ofLabel(parsed.id(), defaultLabel);
        }
        TemplateSpec spec = parsed.version() == null && parsed.label() == null ? registry.load(parsed.id())
                : registry.resolve(parsed);
        String label = parsed.label() != null ? parsed.label() : parsed.version() == null ? defaultLabel : null;
        TemplateHandle handle = new TemplateHandle(spec, label, runs);
        cache.put(ref, new Entry(handle, parsed.pinned() ? PINNED : generation));
        return handle;
    }

    /** Several templates by id, in the order asked; fails on the first one missing. */
    public Map<String, TemplateHandle> getMany(Collection<String> ids) {
        Map<String, TemplateHandle> out = new LinkedHashMap<>();
        for (String id : ids) {
            out.put(id, get(id));
        }
        return out;
    }

    /** Every template id in the registry. */
    public List<String> list() {
        return registry.listIds();
    }

    /** Drops every cached handle; the next {@link #get} of each id loads it again. */
    public void invalidateCache() {
        cache.invalidateAll();
    }

    public Registry registry() {
        return registry;
    }

    /**
     * Where the prices of model calls come from: {@code shipped prices as of DATE}, or the user's file over it.
     *
     * @throws ValidationException if the user's price file cannot be read
     */
    public String priceSource() {
        return runs.calls().priceSource();
    }

    @Override
    public void close() {
        try {
            runs.close();
        } finally {
            cache.invalidateAll();
            registry.close();
        }
    }

    /** Options for a {@link Vault} over a given registry. */
    public static final class Builder {
        private final Registry registry;
        private int cacheSize = DEFAULT_CACHE_SIZE;
        private String defaultLabel = Labels.LATEST;
        private LlmClient llmClient;
        private LlmClientFactory llmClientFactory;
        private LlmSettings llmSettings;
        private ExecutionLog executionLog;
        private Path prices;
        private ModelCalls.Options options = ModelCalls.Options.DEFAULTS;
        private Consumer<String> warnings = System.err::println;
        private Ticker ticker = Ticker.systemTicker();
        private Sleeper sleeper = Sleeper.SYSTEM;
        /** From a config file: its {@code providers:} section, and where its {@code .env} may be. */
        private Map<String, Map<String, String>> providers = Map.of();
        private List<Path> dotEnvDirs = List.of(Path.of("").toAbsolutePath());

        private Builder(Registry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /** How many compiled templates to keep (least recently used go first). */
        public Builder cacheSize(int size) {
            if (size < 0) {
                throw new IllegalArgumentException("cacheSize must not be negative: " + size);
            }
            this.cacheSize = size;
            return this;
        }

        /**
         * The label a plain id is served through ({@value Labels#LATEST} by default). With another label, a template
         * that does not have it is not served by its plain id: a deployment pinned to {@code production} never
         * gets an unreleased version by accident.
         */
        public Builder defaultLabel(String label) {
            this.defaultLabel = Labels.require(label, null);
            return this;
        }

        /**
         * The settings of a {@code promptlightning.yaml}, as {@link Vault#open} takes them: {@code cache_size},
         * {@code default_label}, the execution log of {@code logging:} (an SQLite file opened on the first run), and
         * for model calls {@code providers:}, {@code prices:} and {@code llm:}; its {@code registry} settings are
         * not read, the registry being the one this builder was given.
         *
         * @throws ValidationException naming the file (and line) if it is missing, malformed or inconsistent, or if
         *                             {@code prices:} names a file that does not exist
         */
        public Builder config(Path configFile) {
            return config(VaultConfig.read(Objects.requireNonNull(configFile, "configFile")));
        }

        Builder config(VaultConfig config) {
            requirePrices(config, config.file());
            config.applyMaxFileSize();
            cacheSize(config.cacheSize());
            defaultLabel(config.defaultLabel());
            maxConcurrency(config.maxConcurrency());
            maxAttempts(config.maxAttempts());
            responseCacheTtl(config.responseCacheTtl());
            this.providers = config.providers();
            this.dotEnvDirs = List.of(config.directory(), Path.of("").toAbsolutePath());
            if (config.prices() != null) {
                prices(config.prices());
            }
            if (config.loggingEnabled()) {
                SqliteExecutionLog.Builder log = SqliteExecutionLog.builder(config.logDbPath())
                        .flushInterval(config.logFlushInterval());
                executionLog(new LazyExecutionLog(log::build));
            }
            return this;
        }

        /**
         * The client that makes model calls; the vault closes it when closed. Without one (and without a
         * {@linkplain #llmClientFactory factory}), the vault uses the factory found on the class path.
         */
        public Builder llmClient(LlmClient client) {
            this.llmClient = Objects.requireNonNull(client, "client");
            return this;
        }

        /** The factory that makes the model client, on first use, from the {@linkplain #llmSettings settings}. */
        public Builder llmClientFactory(LlmClientFactory factory) {
            this.llmClientFactory = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /**
         * Where a factory-made client finds its keys and endpoints. By default: the config file's
         * {@code providers:} section, then the environment, then a {@code .env} file (the config file's directory,
         * else the working directory).
         */
        public Builder llmSettings(LlmSettings settings) {
            this.llmSettings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** Where every run is recorded, success or failure; the vault closes it when closed. */
        public Builder executionLog(ExecutionLog log) {
            this.executionLog = Objects.requireNonNull(log, "log");
            return this;
        }

        /**
         * A price table in LiteLLM's {@code model_prices_and_context_window.json} schema (that file works as it
         * is), whose entries win over the shipped table's. Read on the first model call.
         */
        public Builder prices(Path file) {
            this.prices = Objects.requireNonNull(file, "file");
            return this;
        }

        /**
         * How long an answer is reused for the same provider, model, messages and parameters (off by default). A
         * reused answer spends nothing: its result reports 0 tokens and cost 0, and its log row the price source
         * {@code cache}.
         */
        public Builder responseCacheTtl(Duration ttl) {
            Objects.requireNonNull(ttl, "ttl");
            if (ttl.isNegative()) {
                throw new IllegalArgumentException("the response cache's time to live must not be negative: " + ttl);
            }
            this.options = options.withCacheTtl(ttl);
            return this;
        }

        /**
         * The most model calls in flight at once across the vault ({@value ModelCalls.Options#DEFAULT_MAX_CONCURRENCY}
         * by default); more wait for a slot. Asynchronous runs use as many threads.
         */
        public Builder maxConcurrency(int calls) {
            if (calls < 1) {
                throw new IllegalArgumentException("maxConcurrency must be at least 1: " + calls);
            }
            this.options = options.withMaxConcurrency(calls);
            return this;
        }

        /**
         * Attempts per call, the first included ({@value ModelCalls.Options#DEFAULT_MAX_ATTEMPTS} by default). Rate
         * limits, timeouts, server errors and broken streams are retried; a bad key or an unknown model is not.
         */
        public Builder maxAttempts(int attempts) {
            if (attempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1: " + attempts);
            }
            this.options = options.withMaxAttempts(attempts);
            return this;
        }

        /**
         * The wait after the first failed attempt (500 ms by default); it doubles after each further one, up to
         * 16 times this and never past 8 s unless this is longer, with random jitter of up to half. A rate limit's
         * {@code Retry-After} replaces it, if not longer than {@code maxRetryAfter}.
         */
        public Builder retryBackoff(Duration base) {
            Objects.requireNonNull(base, "base");
            if (base.isNegative()) {
                throw new IllegalArgumentException("the retry backoff must not be negative: " + base);
            }
            Duration max = Duration.ofSeconds(8).compareTo(base.multipliedBy(16)) < 0 ? Duration.ofSeconds(8)
                    : base.multipliedBy(16);
            this.options = options.withBackoff(base, max.compareTo(base) < 0 ? base : max);
            return this;
        }

        /**
         * The longest {@code Retry-After} a retry waits (30 s by default); a provider asking for longer fails the
         * call at once with its {@link RateLimitException}.
         */
        public Builder maxRetryAfter(Duration max) {
            Objects.requireNonNull(max, "max");
            if (max.isNegative()) {
                throw new IllegalArgumentException("maxRetryAfter must not be negative: " + max);
            }
            this.options = options.withMaxRetryAfter(max);
            return this;
        }

        /** Where warnings go (a model without a price, a malformed {@code .env} line); standard error by default. */
        public Builder warnings(Consumer<String> sink) {
            this.warnings = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /** The clock of latencies, the response cache and the circuit breakers; tests pass a fake one. */
        Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /** How the vault waits between attempts; tests pass one that does not wait. */
        Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** Options the tests set directly (breaker threshold and open time). */
        Builder callOptions(ModelCalls.Options options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        public Vault build() {
            Consumer<String> sink = warnings;
            Map<String, Map<String, String>> configured = providers;
            List<Path> dirs = dotEnvDirs;
            LlmSettings given = llmSettings;
            Supplier<LlmSettings> settings = given != null ? () -> given
                    : () -> ProviderSettings.load(configured, dirs, sink);
            LlmClients clients = llmClient != null ? LlmClients.of(llmClient)
                    : llmClientFactory != null ? LlmClients.fromFactory(llmClientFactory, settings)
                    : LlmClients.discover(Thread.currentThread().getContextClassLoader(), settings);
            Path userPrices = prices;
            Supplier<PriceTable> table = userPrices == null ? PriceTable::shipped
                    : memoize(() -> PriceTable.read(userPrices, PriceTable.shipped()));
            ModelCalls calls = new ModelCalls(clients, table, options, ticker, sleeper, sink);
            return new Vault(registry, cacheSize, defaultLabel, new ModelRuns(calls, executionLog, sink));
        }

        private static <T> Supplier<T> memoize(Supplier<T> make) {
            return new Supplier<>() {
                private volatile T value;

                @Override
                public T get() {
                    T v = value;
                    if (v == null) {
                        synchronized (this) {
                            v = value;
                            if (v == null) {
                                v = make.get();
                                value = v;
                            }
                        }
                    }
                    return v;
                }
            };
        }
    }
}
