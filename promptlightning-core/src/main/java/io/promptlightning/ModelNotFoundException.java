package io.promptlightning;

/** The provider does not know the model, or no provider serves the model's name. Never retried. */
public final class ModelNotFoundException extends LlmException {
    private static final long serialVersionUID = 1L;

    public ModelNotFoundException(String detail, String provider, String model, Throwable cause) {
        super(detail, provider, model, false, cause);
    }
}
