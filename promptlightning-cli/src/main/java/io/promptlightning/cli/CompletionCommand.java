package io.promptlightning.cli;

import java.util.List;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.PositionalParamSpec;

final class CompletionCommand extends CliCommand {
    static final List<String> SHELLS = List.of("bash", "zsh");

    /**
     * zsh runs bash completion scripts through bashcompinit, which needs its completion system loaded first; the
     * check keeps a shell's own completion set-up when it has one.
     */
    static final String ZSH_PREFIX = "# zsh: run this bash completion script through bashcompinit\n"
            + "if ! type compdef > /dev/null 2>&1; then\n"
            + "  autoload -U +X compinit && compinit\n"
            + "fi\n"
            + "autoload -U +X bashcompinit && bashcompinit\n\n";

    CompletionCommand(PromptLightningCli root) {
        super(root, "completion", "Print a shell completion script for the promptlightning command.",
                "Completes commands and options. Load it in the current shell with"
                        + " 'source <(promptlightning completion)'; for every new shell, add that line to ~/.bashrc"
                        + " or ~/.zshrc.");
        spec.addPositional(PositionalParamSpec.builder().index("0").arity("0..1").paramLabel("SHELL")
                .type(String.class).description("bash or zsh (default: the shell named by $SHELL, else bash).")
                .build());
    }

    @Override
    public Integer call() {
        String shell = spec.positionalParameters().get(0).getValue();
        if (shell == null) {
            shell = shellOf(System.getenv("SHELL"));
        } else if (!SHELLS.contains(shell)) {
            throw usage("the shell must be bash or zsh, not '" + shell + "'");
        }
        CommandLine whole = spec.root().commandLine();
        String script = AutoComplete.bash("promptlightning", whole);
        ctx().out().print(shell.equals("zsh") ? ZSH_PREFIX + script : script);
        return PromptLightningCli.OK;
    }

    /** The shell to write for, from the value of {@code $SHELL} (such as {@code /usr/bin/zsh}); bash otherwise. */
    static String shellOf(String shellVariable) {
        if (shellVariable != null) {
            String name = shellVariable.substring(shellVariable.lastIndexOf('/') + 1);
            if (SHELLS.contains(name)) {
                return name;
            }
        }
        return "bash";
    }
}
