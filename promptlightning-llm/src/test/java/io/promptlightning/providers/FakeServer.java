package io.promptlightning.providers;

import io.promptlightning.testing.FakeProviderServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link FakeProviderServer} for a test class ({@code @RegisterExtension static final FakeServer FAKE}): started
 * before its first test, reset (no recorded requests, no faults, no delay) before each, closed after the last.
 */
public final class FakeServer implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    private FakeProviderServer server;

    public FakeProviderServer server() {
        return server;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = FakeProviderServer.start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        server.reset();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.close();
    }
}
