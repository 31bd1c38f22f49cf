package io.promptlightning.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptlightning.LocalRegistry;
import io.promptlightning.TemplateSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {
    @TempDir
    Path tmp;

    private Path prompts;
    private Cli cli;

    private void localProject() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("project"));
        prompts = Files.createDirectories(project.resolve("prompts"));
        Files.writeString(project.resolve("promptlightning.yaml"), "registry: local\n");
        cli = new Cli(project, tmp.resolve("home"));
    }

    @Test
    void aCleanDirectoryIsExitZero() throws Exception {
        localProject();
        Files.write(prompts.resolve("summarizer.yaml"), Examples.bytes("summarizer.yaml"));
        Cli.Result r = cli.run("validate");
        assertEquals(0, r.code(), r::toString);
        assertEquals("ok: 1 template, no problems\n", r.out());
        assertEquals("", r.err());
    }

    /** An id read from a file that no new template may have is served, but validate warns: it goes no further. */
    @Test
    void anIdNoNewTemplateMayHaveIsAWarningWithItsLine() throws Exception {
        localProject();
        Files.writeString(prompts.resolve("escape.yaml"), "version: 1.0.0\nid: ../escape\ntemplate: Hi\n");
        Cli.Result r = cli.run("validate");
        assertEquals(0, r.code(), r::toString);
        assertEquals(List.of("prompts/escape.yaml:2: ../escape: warning: no new template may have this id (an id is 1"
                + " to 128 letters, digits, '_', '-' or '.', starting with a letter or digit, without '..'): this"
                + " file still serves it, but it cannot be saved into another project nor exported as a file (an id"
                + " starting with '.' would make a hidden file); give the template another id",
                "ok: 1 template, no problems (1 warning above)"), r.outLines());
        assertEquals("Hi\n", cli.run("render", "../escape").out(), "it is still served");
    }

    @Test
    void theHistoryDirectoryIsNotValidatedAsTemplates() throws Exception {
        localProject();
        try (LocalRegistry registry = LocalRegistry.open(prompts)) {
            registry.save(new TemplateSpec("greet", "1.0.0", null, "Hello", null, null));
            registry.save(new TemplateSpec("greet", "1.1.0", null, "Hello again", null, null));
            registry.moveLabel("greet", "prod", "1.0.0", null);
        }
        Cli.Result r = cli.run("validate");
        assertEquals(0, r.code(), r::toString);
        assertEquals("ok: 1 template, no problems\n", r.out());
    }

    @Test
    void aFileEditedByHandUnderASavedVersionIsAnUnsavedEditUntilSavedAsANewVersion() throws Exception {
        localProject();
        try (LocalRegistry registry = LocalRegistry.open(prompts)) {
            registry.save(new TemplateSpec("greet", "1.0.3", null, "Hello", null, null));
        }
        Path file = prompts.resolve("greet.yaml");
        Files.writeString(file, "# reformatted, same template\n" + Files.readString(file));
        Cli.Result clean = cli.run("validate");
        assertEquals(0, clean.code(), clean::toString);

        Files.writeString(file, Files.readString(file).replace("Hello", "Hello there"));
        Cli.Result r = cli.run("validate");
        assertEquals(1, r.code(), r::toString);
        assertEquals("prompts/greet.yaml: greet: unsaved edit of version 1.0.3: the file differs from the saved"
                + " 1.0.3, which greet@1.0.3 (and any label on it) still loads; save the file as a new version (bump),"
                + " or replace the saved 1.0.3 with it (save --force)\n", r.out());
        assertEquals("error: 1 problem in 1 template (each line above gives the file and line to fix)\n", r.err());

        assertEquals(0, cli.run("bump", "greet", "--patch").code());
        Cli.Result bumped = cli.run("validate");
        assertEquals(0, bumped.code(), bumped::toString);
        assertEquals("Hello\n", cli.run("get", "greet@1.0.3").out());
        assertEquals("Hello there\n", cli.run("get", "greet@1.0.4").out());
    }

    @Test
    void findsUndeclaredVariablesUnusedInputsAndBrokenFilesWithTheirLines() throws Exception {
        localProject();
        Files.write(prompts.resolve("summarizer.yaml"), Examples.bytes("summarizer.yaml"));
        Files.writeString(prompts.resolve("greet.yaml"), String.join("\n",
                "id: greet",                                            // 1
                "version: 1.0.0",                                       // 2
                "template: |",                                          // 3
                "  Hello {{ name }}!",                                  // 4
                "  {% for i in items %}{{ i }}{% endfor %}",            // 5
                "  {% if extra %}More: {{ extra.value }}{% endif %}",   // 6
                "inputs:",                                              // 7
                "  name: {type: string}",                               // 8
                "  items: {type: array}",                               // 9
                "  unused: {type: string, required: false}",            // 10
                ""));
        Files.writeString(prompts.resolve("broken.yaml"), String.join("\n",
                "id: broken",
                "template: |",
                "  fine",
                "  {{ oops( }}",
                ""));
        Files.writeString(prompts.resolve("notyaml.yaml"), "id: [unclosed\n");
        Files.createDirectories(prompts.resolve("sub"));
        Files.writeString(prompts.resolve("sub/again.yml"), "id: greet\ntemplate: hi\n");

        Cli.Result r = cli.run("validate");
        assertEquals(1, r.code(), r::toString);
        List<String> lines = r.outLines();
        assertEquals(5, lines.size(), r::toString);
        assertTrue(lines.get(0).startsWith("prompts/broken.yaml:4: broken: template syntax error: "), r::toString);
        assertEquals("prompts/greet.yaml:6: greet: uses 'extra', which is not a declared input (inputs that are not"
                + " declared are dropped, so rendering always fails); declare it under 'inputs'", lines.get(1));
        assertEquals("prompts/greet.yaml:10: greet: declares the input 'unused', which the template never uses",
                lines.get(2));
        assertTrue(lines.get(3).startsWith("prompts/notyaml.yaml:2: invalid YAML: "), r::toString);
        assertTrue(lines.get(4).startsWith("prompts/sub/again.yml:1: greet: duplicate id: "), r::toString);
        assertEquals("error: 5 problems in 5 templates (each line above gives the file and line to fix)\n", r.err());
    }

    @Test
    void theExamplesHaveUnusedInputs() throws Exception {
        Cli.project(tmp.resolve("project"), Cli.Kind.LOCAL);
        Cli.Result r = new Cli(tmp.resolve("project"), tmp.resolve("home")).run("validate");
        assertEquals(1, r.code(), r::toString);
        assertEquals(List.of(
                "prompts/multi-input-template.yaml:77: multi-input-template: declares the input 'contact_info', which"
                        + " the template never uses",
                "prompts/multi-input-template.yaml:83: multi-input-template: declares the input 'tags', which the"
                        + " template never uses",
                "prompts/multi-input-template.yaml:89: multi-input-template: declares the input 'priority', which"
                        + " the template never uses"), r.outLines());
    }

    @Test
    void checksLmdbRecordsToo() throws Exception {
        Cli.project(tmp.resolve("project"), Cli.Kind.LMDB);
        ReadCommandsTest.putRecord(tmp.resolve("project/templates.lmdb"), "bad", "line one\n{% if name %}x");
        ReadCommandsTest.putRecord(tmp.resolve("project/templates.lmdb"), "undeclared", "{{ name }}\n{{ other }}");
        Cli.Result r = new Cli(tmp.resolve("project"), tmp.resolve("home")).run("validate");
        assertEquals(1, r.code(), r::toString);
        List<String> lines = r.outLines();
        assertTrue(lines.get(0).startsWith("templates.lmdb: bad: template syntax error: "), r::toString);
        assertTrue(lines.get(0).endsWith("(template line 2)"), r::toString);
        assertTrue(lines.contains("templates.lmdb: undeclared: uses 'other', which is not a declared input (inputs"
                + " that are not declared are dropped, so rendering always fails); declare it under 'inputs'"
                + " (template line 2)"), r::toString);
    }

    @Test
    void usageLineFindsTheFirstRead() {
        assertEquals(1, TemplateChecks.usageLine("{{ a }}", "a"));
        assertEquals(3, TemplateChecks.usageLine("x\n{{ b.a }} '{{ \"a\" }}'\n{% if a %}", "a"));
        assertEquals(4, TemplateChecks.usageLine("{# a\n #}{{ 'a' }}\n{{-\na -}}", "a"));
    }
}
