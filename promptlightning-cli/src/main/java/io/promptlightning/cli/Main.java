package io.promptlightning.cli;

/** The {@code promptlightning} command's entry point; see {@link PromptLightningCli}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        CliContext ctx = CliContext.system();
        int code = PromptLightningCli.run(ctx, args);
        ctx.out().flush();
        ctx.err().flush();
        System.exit(code);
    }
}
