package io.promptlightning;

/** The provider has no API key, or refused the one given (HTTP 401/403). Never retried. */
public final class ApiKeyException extends LlmException {
    private static final long serialVersionUID = 1L;

    private final boolean keyMissing;

    /** The provider refused the key given. */
    public ApiKeyException(String detail, String provider, String model, Throwable cause) {
        this(detail, provider, model, cause, false);
    }

    private ApiKeyException(String detail, String provider, String model, Throwable cause, boolean keyMissing) {
        super(detail, provider, model, false, cause);
        this.keyMissing = keyMissing;
    }

    /** No key is set for the provider: {@code detail} says where to set one. */
    public static ApiKeyException missing(String detail, String provider, String model) {
        return new ApiKeyException(detail, provider, model, null, true);
    }

    /** Whether no key was set (rather than a key refused), so that the message already says where to set one. */
    public boolean keyMissing() {
        return keyMissing;
    }
}
