package io.promptlightning;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.promptlightning.internal.VaultConfig;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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
 */
public final class Vault implements AutoCloseable {
    /** Handles cached when nothing else is configured, as in the original. */
    public static final int DEFAULT_CACHE_SIZE = 1000;

    private final Registry registry;
    private final Cache<String, Entry> cache;
    private final String defaultLabel;
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

    private Vault(Registry registry, int cacheSize, String defaultLabel) {
        this.registry = registry;
        this.cache = Caffeine.newBuilder().maximumSize(cacheSize).build();
        this.defaultLabel = defaultLabel;
    }

    /**
     * A vault as a {@code promptlightning.yaml} describes it ({@code registry: local|lmdb}, {@code prompt_dir},
     * {@code db_path}); relative paths are resolved against the config file's directory.
     */
    public static Vault open(Path configFile) {
        VaultConfig config = VaultConfig.read(configFile);
        Registry registry = config.usesLmdb()
                ? LmdbRegistry.builder(config.dbPath()).readOnly(config.readOnly())
                        .compressHistory(config.compressHistory()).build()
                : LocalRegistry.builder(config.promptDir()).readOnly(config.readOnly()).build();
        return new Vault(registry, config.cacheSize(), config.defaultLabel());
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
        TemplateHandle handle = new TemplateHandle(spec);
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

    @Override
    public void close() {
        cache.invalidateAll();
        registry.close();
    }

    /** Options for a {@link Vault} over a given registry. */
    public static final class Builder {
        private final Registry registry;
        private int cacheSize = DEFAULT_CACHE_SIZE;
        private String defaultLabel = Labels.LATEST;

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

        public Vault build() {
            return new Vault(registry, cacheSize, defaultLabel);
        }
    }
}
