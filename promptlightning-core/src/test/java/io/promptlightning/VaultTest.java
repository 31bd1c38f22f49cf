package io.promptlightning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VaultTest {
    @TempDir
    Path dir;

    private static final String GREETING = String.join("\n",
            "id: greeting",
            "version: 1.0.0",
            "template: |",
            "  Hello {{ name }}!{% if age %} You are {{ age }}.{% endif %}",
            "inputs:",
            "  name: {type: string, required: true}",
            "  age: {type: number, required: false}",
            "");

    private Path prompts() throws IOException {
        Path prompts = Files.createDirectories(dir.resolve("prompts"));
        Files.writeString(prompts.resolve("greeting.yaml"), GREETING);
        return prompts;
    }

    /** Waits for a condition that a file watcher makes true, failing after 10 s; no timing is asserted. */
    private static void eventually(Runnable assertion) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    @Test
    void rendersWithCoercedInputsAndCachesTheHandle() throws IOException {
        try (Vault vault = Vault.ofPromptDir(prompts())) {
            TemplateHandle handle = vault.get("greeting");
            assertEquals("Hello Ada! You are 36.0.", handle.render(Map.of("name", "Ada", "age", "36")));
            assertSame(handle, vault.get("greeting"));
            assertEquals(List.of("greeting"), vault.list());
            assertEquals("1.0.0", handle.version());
            assertEquals(List.of("name", "age"), List.copyOf(handle.inputs().keySet()));
        }
    }

    @Test
    void validationAndRenderErrorsAreKeptApart() throws IOException {
        Path prompts = prompts();
        Files.writeString(prompts.resolve("strict.yaml"), "id: strict\ntemplate: \"{{ name }} {{ missing }}\"\n"
                + "inputs:\n  name: {type: string}\n");
        try (Vault vault = Vault.ofPromptDir(prompts)) {
            ValidationException invalid = assertThrows(ValidationException.class,
                    () -> vault.get("greeting").render(Map.of("age", 3)));
            assertEquals("missing input: name", invalid.detail());
            RenderException failed = assertThrows(RenderException.class,
                    () -> vault.get("strict").render(Map.of("name", "x")));
            assertEquals("'missing' is undefined", failed.detail());
            assertEquals("strict", failed.templateId());
            assertEquals(1, failed.line());
        }
    }

    @Test
    void aSavedChangeIsNeverServedStale() throws IOException {
        try (Vault vault = Vault.ofPromptDir(prompts())) {
            TemplateHandle before = vault.get("greeting");
            TemplateSpec changed = new TemplateSpec("greeting", "1.1.0", null, "Hi {{ name }}", before.inputs(), null);
            vault.registry().save(changed);
            TemplateHandle after = vault.get("greeting");
            assertNotSame(before, after);
            assertEquals("Hi Bo", after.render(Map.of("name", "Bo")));
        }
    }

    @Test
    void anEditedFileIsPickedUpWithoutARestart() throws Exception {
        Path prompts = prompts();
        try (Vault vault = Vault.ofPromptDir(prompts)) {
            assertEquals("Hello Ada!", vault.get("greeting").render(Map.of("name", "Ada")));
            Files.writeString(prompts.resolve("greeting.yaml"), GREETING.replace("Hello", "Howdy"));
            eventually(() -> assertEquals("Howdy Ada!", vault.get("greeting").render(Map.of("name", "Ada"))));
        }
    }

    @Test
    void lmdbVaultSeesWritesOfAnotherRegistryOnTheSameDatabase() throws Exception {
        Path db = dir.resolve("templates.lmdb");
        TemplateSpec v1 = new TemplateSpec("note", "1.0.0", null, "v1 {{ x }}",
                Map.of("x", InputSpec.of(InputType.STRING, true)), null);
        try (LmdbRegistry writer = LmdbRegistry.open(db)) {
            writer.save(v1);
            try (Vault vault = Vault.ofLmdb(db)) {
                assertEquals("v1 a", vault.get("note").render(Map.of("x", "a")));
                writer.save(new TemplateSpec("note", "1.0.1", null, "v2 {{ x }}", v1.inputs(), null));
                eventually(() -> assertEquals("v2 a", vault.get("note").render(Map.of("x", "a"))));
            }
        }
    }

    @Test
    void getManyInvalidateAndMissing() throws IOException {
        try (Vault vault = Vault.ofPromptDir(prompts())) {
            assertEquals(List.of("greeting"), List.copyOf(vault.getMany(List.of("greeting")).keySet()));
            TemplateHandle first = vault.get("greeting");
            vault.invalidateCache();
            assertNotSame(first, vault.get("greeting"));
            TemplateNotFoundException e = assertThrows(TemplateNotFoundException.class, () -> vault.get("nope"));
            assertEquals("nope", e.templateId());
        }
    }

    @Test
    void configFileChoosesTheRegistryAndResolvesPathsBesideIt() throws IOException {
        prompts();
        Path config = Files.writeString(dir.resolve("promptlightning.yaml"),
                "registry: local\nprompt_dir: ./prompts\nlogging:\n  enabled: false\n");
        try (Vault vault = Vault.open(config)) {
            assertEquals(List.of("greeting"), vault.list());
        }
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "registry: sql\n");
        ValidationException e = assertThrows(ValidationException.class, () -> Vault.open(bad));
        assertEquals("'registry' must be 'local' or 'lmdb', found 'sql'", e.detail());
        assertEquals(bad, e.file());
        Path missingDir = Files.writeString(dir.resolve("missing.yaml"), "prompt_dir: ./nowhere\n");
        RegistryException r = assertThrows(RegistryException.class, () -> Vault.open(missingDir));
        assertTrue(r.getMessage().contains("nowhere"), r.getMessage());
    }

    @Test
    void runPassesThePromptToYourModel() throws IOException {
        try (Vault vault = Vault.ofPromptDir(prompts())) {
            assertEquals(11, (int) vault.get("greeting").run(String::length, Map.of("name", "Ada ")));
        }
    }
}
