package io.promptlightning.internal;

import io.promptlightning.ModelNotFoundException;

/**
 * Which provider serves a model name, by the original's rules: {@code provider/model} names the provider outright;
 * otherwise the name's prefix decides ({@code gpt-*}, {@code o1*}, {@code o3*}, {@code o4*}, {@code chatgpt-*},
 * {@code text-*} are OpenAI's, {@code claude-*} Anthropic's, {@code gemini-*} Google's).
 */
public final class ModelRouter {
    /** The rules, as an error message states them. */
    public static final String RULES = "gpt-*, o1*, o3*, o4*, chatgpt-*, text-* -> openai; claude-* -> anthropic; "
            + "gemini-* -> gemini; or name the provider: PROVIDER/MODEL (ollama/llama3, openai/my-model, ...)";

    private ModelRouter() {
    }

    /**
     * A model name routed.
     *
     * @param provider the provider, e.g. {@code openai}
     * @param model    the model as the provider names it, without a {@code provider/} prefix
     */
    public record Route(String provider, String model) {
    }

    /** @throws ModelNotFoundException when no rule routes the name, listing the rules */
    public static Route route(String name) {
        if (name == null || name.isBlank()) {
            throw new ModelNotFoundException("no model named; use " + RULES, null, name, null);
        }
        int slash = name.indexOf('/');
        if (slash >= 0) {
            String provider = name.substring(0, slash).trim();
            String model = name.substring(slash + 1).trim();
            if (provider.isEmpty() || model.isEmpty()) {
                throw new ModelNotFoundException("'PROVIDER/MODEL' needs both parts; use " + RULES, null, name, null);
            }
            return new Route(provider, model);
        }
        String provider = providerOf(name);
        if (provider == null) {
            throw new ModelNotFoundException("no provider serves this name; use " + RULES, null, name, null);
        }
        return new Route(provider, name);
    }

    private static String providerOf(String model) {
        if (model.startsWith("gpt-") || model.startsWith("o1") || model.startsWith("o3") || model.startsWith("o4")
                || model.startsWith("chatgpt-") || model.startsWith("text-")) {
            return "openai";
        }
        if (model.startsWith("claude-")) {
            return "anthropic";
        }
        if (model.startsWith("gemini-")) {
            return "gemini";
        }
        return null;
    }
}
