package io.promptlightning;

/**
 * A model call failed. The message names the model and the provider, never a key. {@link #retryable()} tells
 * whether trying again may succeed (a timeout, a server error, a broken stream); the subclasses name the failures
 * a caller usually handles apart.
 */
public class LlmException extends PromptLightningException {
    private static final long serialVersionUID = 1L;

    private final String provider;
    private final String model;
    private final boolean retryable;

    /**
     * @param detail    what went wrong, without any key or secret
     * @param provider  the provider called, or null if none could be chosen
     * @param model     the model asked for
     * @param retryable whether the same call may succeed if tried again
     */
    public LlmException(String detail, String provider, String model, boolean retryable, Throwable cause) {
        super(describe(detail, provider, model), null, null, 0, cause);
        this.provider = provider;
        this.model = model;
        this.retryable = retryable;
    }

    private static String describe(String detail, String provider, String model) {
        StringBuilder sb = new StringBuilder();
        if (model != null) {
            sb.append("model '").append(model).append("'");
            if (provider != null) {
                sb.append(" (").append(provider).append(')');
            }
            sb.append(": ");
        } else if (provider != null) {
            sb.append(provider).append(": ");
        }
        return sb.append(detail).toString();
    }

    /** The provider called, or null. */
    public String provider() {
        return provider;
    }

    /** The model asked for, or null. */
    public String model() {
        return model;
    }

    /** Whether the same call may succeed if tried again. */
    public boolean retryable() {
        return retryable;
    }
}
