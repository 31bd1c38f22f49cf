package io.promptlightning.internal;

import io.promptlightning.LlmException;
import io.promptlightning.llm.LlmClient;
import io.promptlightning.llm.LlmClientFactory;
import io.promptlightning.llm.LlmRequest;
import io.promptlightning.llm.LlmResponse;
import io.promptlightning.llm.LlmSettings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Where a vault's model client comes from: given outright, made by a given factory, or made by the factories found
 * on the class path ({@link ServiceLoader}). Made on first use, so a vault that only renders never needs a provider
 * module; a client the vault made, or was given, is closed with it.
 */
public final class LlmClients implements AutoCloseable {
    /** The module that provides the clients, as a build file names it. */
    public static final String PROVIDER_MODULE = "io.promptlightning:promptlightning-llm";

    private final Supplier<LlmClient> make;
    private volatile LlmClient client;
    private boolean closed;

    private LlmClients(Supplier<LlmClient> make) {
        this.make = make;
    }

    public static LlmClients of(LlmClient client) {
        return new LlmClients(() -> client);
    }

    public static LlmClients fromFactory(LlmClientFactory factory, Supplier<LlmSettings> settings) {
        return new LlmClients(() -> factory.create(settings.get()));
    }

    /** The factories {@code loader} finds; with several, each serves the providers it names first. */
    public static LlmClients discover(ClassLoader loader, Supplier<LlmSettings> settings) {
        return new LlmClients(() -> {
            List<LlmClient> found = new ArrayList<>();
            for (LlmClientFactory factory : ServiceLoader.load(LlmClientFactory.class, loader)) {
                found.add(factory.create(settings.get()));
            }
            if (found.isEmpty()) {
                return null;
            }
            return found.size() == 1 ? found.get(0) : new Composite(found);
        });
    }

    /**
     * The client, made on first use.
     *
     * @throws LlmException when no provider module is on the class path, saying what to add
     */
    public LlmClient get(String provider, String model) {
        LlmClient c = client;
        if (c == null) {
            synchronized (this) {
                if (closed) {
                    throw new IllegalStateException("the vault is closed");
                }
                c = client;
                if (c == null) {
                    c = make.get();
                    if (c == null) {
                        throw new LlmException("no model provider is available: add " + PROVIDER_MODULE
                                + " to the class path (it provides OpenAI, Anthropic, Gemini and Ollama), or give the"
                                + " vault a client with Vault.builder(...).llmClient(...)", provider, model, false,
                                null);
                    }
                    client = c;
                }
            }
        }
        return c;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (client != null) {
            client.close();
            client = null;
        }
    }

    /** Several clients behind one: each provider goes to the first client serving it. */
    static final class Composite implements LlmClient {
        private final List<LlmClient> clients;
        private final Map<String, LlmClient> byProvider = new LinkedHashMap<>();

        Composite(List<LlmClient> clients) {
            this.clients = List.copyOf(clients);
            for (LlmClient c : clients) {
                for (String p : c.providers()) {
                    byProvider.putIfAbsent(p, c);
                }
            }
        }

        @Override
        public Set<String> providers() {
            return Collections.unmodifiableSet(new LinkedHashSet<>(byProvider.keySet()));
        }

        @Override
        public LlmResponse complete(LlmRequest request) {
            return byProvider.get(request.provider()).complete(request);
        }

        @Override
        public LlmResponse stream(LlmRequest request, Consumer<String> onToken) {
            return byProvider.get(request.provider()).stream(request, onToken);
        }

        @Override
        public void close() {
            RuntimeException first = null;
            for (LlmClient c : clients) {
                try {
                    c.close();
                } catch (RuntimeException e) {
                    if (first == null) {
                        first = e;
                    } else {
                        first.addSuppressed(e);
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }
}
