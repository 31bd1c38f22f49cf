package io.promptlightning;

/** The provider has no API key, or refused the one given (HTTP 401/403). Never retried. */
public final class ApiKeyException extends LlmException {
    private static final long serialVersionUID = 1L;

    public ApiKeyException(String detail, String provider, String model, Throwable cause) {
        super(detail, provider, model, false, cause);
    }
}
