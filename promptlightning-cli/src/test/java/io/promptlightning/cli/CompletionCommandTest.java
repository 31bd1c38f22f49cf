package io.promptlightning.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompletionCommandTest {
    private static final List<String> COMMANDS = List.of("init", "list", "get", "export", "render", "validate", "bump",
            "migrate", "watch", "logs", "costs", "completion");

    @TempDir
    Path tmp;

    private Cli cli() {
        return new Cli(tmp, tmp.resolve("home"));
    }

    /** Runs bash on {@code script}; returns its stdout, failing with its stderr when it exits non-zero. */
    private String bash(String script, String... args) throws IOException, InterruptedException {
        Path file = tmp.resolve("script.bash");
        Files.writeString(file, script);
        List<String> command = new java.util.ArrayList<>(List.of("bash", file.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(tmp.resolve("bash.err").toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        assertEquals(0, code, () -> "bash failed: " + readQuietly(tmp.resolve("bash.err")));
        return out;
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** What the completion script offers for the words of {@code line} (its last word being completed). */
    private String complete(Path completionScript, String line) throws Exception {
        return bash("source \"$1\"\n"
                + "read -r -a COMP_WORDS <<< \"$2\"\n"
                + "if [[ \"$2\" == *' ' ]]; then COMP_WORDS+=(''); fi\n"
                + "COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n"
                + "COMP_LINE=\"$2\"\n"
                + "COMP_POINT=${#COMP_LINE}\n"
                + "_complete_promptlightning\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n", completionScript.toString(), line);
    }

    @Test
    void theBashScriptIsValidAndOffersEveryCommandAndItsOptions() throws Exception {
        Cli.Result r = cli().run("completion", "bash");
        assertEquals(0, r.code(), r::toString);
        assertEquals("", r.err());
        Path script = tmp.resolve("promptlightning.bash");
        Files.writeString(script, r.out());
        bash("bash -n \"$1\"\n", script.toString());

        List<String> offered = complete(script, "promptlightning ").lines().toList();
        assertTrue(offered.containsAll(COMMANDS), offered::toString);
        assertFalse(offered.contains("cds-training"), "a hidden command is not offered: " + offered);
        assertEquals(List.of("watch"), complete(script, "promptlightning wat").lines().toList());
        assertEquals(List.of("--format"), complete(script, "promptlightning get summarizer --fo").lines().toList());
        assertTrue(complete(script, "promptlightning watch --").lines().toList().contains("--json"));
    }

    @Test
    void theZshScriptLoadsBashCompletionFirst() {
        Cli.Result bash = cli().run("completion", "bash");
        Cli.Result zsh = cli().run("completion", "zsh");
        assertEquals(0, zsh.code(), zsh::toString);
        assertEquals(CompletionCommand.ZSH_PREFIX + bash.out(), zsh.out());
        assertTrue(zsh.out().contains("autoload -U +X bashcompinit && bashcompinit\n"), zsh::toString);
    }

    @Test
    void theShellComesFromTheShellVariableElseBash() {
        assertEquals("zsh", CompletionCommand.shellOf("/usr/bin/zsh"));
        assertEquals("bash", CompletionCommand.shellOf("/bin/bash"));
        assertEquals("bash", CompletionCommand.shellOf("/usr/bin/fish"));
        assertEquals("bash", CompletionCommand.shellOf(null));
    }

    @Test
    void anotherShellIsAUsageError() {
        Cli.Result r = cli().run("completion", "fish");
        assertEquals(2, r.code(), r::toString);
        assertEquals("error: the shell must be bash or zsh, not 'fish' (see 'promptlightning completion --help')\n",
                r.err());
        assertEquals("", r.out());
    }
}
