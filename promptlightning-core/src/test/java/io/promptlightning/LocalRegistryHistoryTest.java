package io.promptlightning;

import static io.promptlightning.LocalRegistryTest.eventually;
import static io.promptlightning.LocalRegistryTest.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.promptlightning.internal.Authors;
import io.promptlightning.internal.SpecYaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class LocalRegistryHistoryTest {
    @TempDir
    Path dir;

    @TempDir
    Path elsewhere;

    // ------------------------------------------------------------------------------------------ helpers

    static TemplateSpec spec(String id, String version, String text) {
        return new TemplateSpec(id, version, null, text, null, null);
    }

    static TemplateSpec withMetadata(String id, Map<String, Object> metadata) {
        return new TemplateSpec(id, "1.0.0", null, "text of " + id, null, metadata);
    }

    static String file(String id, String version, String text) {
        return "id: " + id + "\nversion: " + version + "\ntemplate: " + text + "\n";
    }

    /** Every file under {@code root} with its content, to show that a refused write changed nothing. */
    static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.filter(Files::isRegularFile).collect(Collectors.toList())) {
                files.put(root.relativize(p).toString(), Files.readString(p));
            }
        }
        return files;
    }

    static List<String> labelsMoved(List<LabelMove> moves, String label) {
        return moves.stream().filter(m -> m.label().equals(label)).map(m -> m.from() + "->" + m.to())
                .collect(Collectors.toList());
    }

    static List<String> versionNames(Registry registry, String id) {
        return registry.versions(id).stream().map(VersionInfo::version).collect(Collectors.toList());
    }

    Path historyOf(String id) {
        return dir.resolve(".promptlightning/templates").resolve(LocalHistory.encode(id));
    }

    // ------------------------------------------------------------------------------------ saving versions

    @Test
    void saveRecordsEachVersionWithItsTimeAuthorAndMessage() throws IOException {
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            Instant before = Instant.now().minusSeconds(1);
            registry.save(spec("a", "1.0.0", "one"), SaveOptions.message("first"));
            registry.save(spec("a", "1.1.0", "two"), SaveOptions.message("second"));
            Instant after = Instant.now().plusSeconds(1);

            List<VersionInfo> versions = registry.versions("a");
            assertEquals(List.of("1.0.0", "1.1.0"), versionNames(registry, "a"));
            assertEquals("first", versions.get(0).message());
            assertEquals("second", versions.get(1).message());
            for (VersionInfo info : versions) {
                assertEquals(Authors.current(), info.author());
                assertTrue(info.savedAt().isAfter(before) && info.savedAt().isBefore(after), info::toString);
            }
            assertEquals("two", registry.load("a").template());
            assertEquals("one", registry.load("a", "1.0.0").template());
            assertEquals("two", registry.load("a", "1.1.0").template());
            assertEquals(Map.of("latest", "1.1.0"), registry.labels("a"));
            assertEquals(List.of("null->1.0.0", "1.0.0->1.1.0"), labelsMoved(registry.labelHistory("a"), "latest"));
            assertEquals("second", registry.labelHistory("a").get(1).message());

            Path recorded = historyOf("a").resolve("versions/1.0.0.yaml");
            assertEquals(spec("a", "1.0.0", "one"), SpecYaml.parse(recorded).specOrThrow(),
                    "a recorded version is still a template file");
            assertTrue(Files.readString(recorded).contains("saved:\n  at: "), Files.readString(recorded));
            assertEquals(SpecYaml.write(spec("a", "1.1.0", "two")), Files.readString(dir.resolve("a.yaml")));
            assertEquals(List.of("lock", "journal/"), Files.readAllLines(dir.resolve(".promptlightning/.gitignore"))
                    .stream().filter(l -> !l.startsWith("#")).collect(Collectors.toList()));
        }
        try (LocalRegistry reopened = LocalRegistry.open(dir)) {
            assertEquals("one", reopened.load("a", "1.0.0").template());
            assertEquals(List.of("a"), reopened.listIds());
            assertEquals(List.of(), reopened.problems());
        }
    }

    @Test
    void aSavedVersionKeepsItsContentUnlessTheSaveIsForced() throws IOException {
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            registry.save(spec("a", "1.0.0", "one"), SaveOptions.message("first"));
            VersionInfo first = registry.versions("a").get(0);
            Map<String, String> before = snapshot(dir);

            ValidationException e = assertThrows(ValidationException.class,
                    () -> registry.save(spec("a", "1.0.0", "changed")));
            assertEquals("a", e.templateId());
            assertEquals("template 'a': version 1.0.0 is already saved with different content, and versions do not"
                    + " change: save it as a new version, or force the save to replace it", e.getMessage());
            assertEquals(before, snapshot(dir));
            assertEquals("one", registry.load("a").template());

            registry.save(spec("a", "1.0.0", "one"), SaveOptions.message("again"));
            assertEquals(List.of(first), registry.versions("a"), "saving the same content records nothing new");
            assertEquals(before, snapshot(dir));

            registry.save(spec("a", "1.0.0", "changed"), SaveOptions.message("fixed in place").forced());
            assertEquals("changed", registry.load("a", "1.0.0").template());
            assertEquals("changed", registry.load("a").template());
            assertEquals("fixed in place", registry.versions("a").get(0).message());
        }
    }

    @Test
    void savingAnEarlierVersionAgainMakesItTheLatest() {
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            registry.save(spec("a", "1.0.0", "one"));
            registry.save(spec("a", "1.1.0", "two"));
            registry.save(spec("a", "1.0.0", "one"), SaveOptions.message("roll back"));
            assertEquals("1.0.0", registry.load("a").version());
            assertEquals(List.of("1.0.0", "1.1.0"), versionNames(registry, "a"));
            assertEquals(List.of("null->1.0.0", "1.0.0->1.1.0", "1.1.0->1.0.0"),
                    labelsMoved(registry.labelHistory("a"), "latest"));
            assertEquals("roll back", registry.labelHistory("a").get(2).message());
        }
    }

    @Test
    void aHandWrittenVersionIsListedUnrecordedAndRecordedBeforeASaveReplacesIt() throws IOException {
        Path handWritten = write(dir.resolve("team/a-file.yaml"), file("a", "1.0.0", "by hand"));
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            assertEquals(List.of(new VersionInfo("1.0.0", null, null, null)), registry.versions("a"));
            assertEquals("by hand", registry.load("a", "1.0.0").template());
            assertEquals(List.of(), registry.labelHistory("a"));

            registry.save(spec("a", "1.1.0", "saved"));
            assertEquals("saved", SpecYaml.parse(handWritten).specOrThrow().template(), "the same file is rewritten");
            assertFalse(Files.exists(dir.resolve("a.yaml")));
            List<VersionInfo> versions = registry.versions("a");
            assertEquals(new VersionInfo("1.0.0", null, null, null), versions.get(0));
            assertNotNull(versions.get(1).savedAt());
            assertEquals("by hand", registry.load("a", "1.0.0").template());
        }
    }

    @Test
    void anEditByHandIsTheNewLatest() throws IOException, InterruptedException {
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            registry.save(spec("a", "1.0.0", "saved"));
            write(dir.resolve("a.yaml"), file("a", "1.2.0", "edited"));
            eventually(() -> registry.load("a").version().equals("1.2.0"), "the edit is seen");
            assertEquals(List.of("1.0.0", "1.2.0"), versionNames(registry, "a"));
            assertNull(registry.versions("a").get(1).savedAt());
            assertEquals("1.2.0", registry.labels("a").get("latest"));
            assertEquals("edited", registry.load("a", "1.2.0").template());
            assertEquals("saved", registry.load("a", "1.0.0").template());
            assertEquals("edited", registry.resolve(TemplateRef.parse("a@latest")).template());
        }
    }

    // ------------------------------------------------------------------------------ unsaved edits by hand

    /** a@1.0.0 saved as "saved" and labelled prod, then its file edited by hand to "edited", keeping 1.0.0. */
    private Path savedThenEditedInPlace() throws IOException {
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            registry.save(spec("a", "1.0.0", "saved"), SaveOptions.message("first"));
            registry.moveLabel("a", "prod", "1.0.0", null);
        }
        return write(dir.resolve("a.yaml"), file("a", "1.0.0", "edited"));
    }

    static String unsavedEditMessage(String id, String version) {
        return "unsaved edit of version " + version + ": the file differs from the saved " + version + ", which " + id
                + "@" + version + " (and any label on it) still loads; save the file as a new version (bump), or"
                + " replace the saved " + version + " with it (save --force)";
    }

    @Test
    void aHandEditUnderASavedVersionLeavesThatVersionAsItWasSaved() throws IOException {
        Path edited = savedThenEditedInPlace();
        Path recorded = historyOf("a").resolve("versions/1.0.0.yaml");
        String recordedText = Files.readString(recorded);
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            assertEquals("edited", registry.load("a").template(), "a plain id loads the file being worked on");
            assertEquals("edited", registry.resolve(TemplateRef.parse("a@latest")).template());
            assertEquals("saved", registry.load("a", "1.0.0").template());
            assertEquals("saved", registry.resolve(TemplateRef.parse("a@1.0.0")).template());
            assertEquals("saved", registry.resolve(TemplateRef.parse("a@prod")).template());
            assertEquals(Optional.of("1.0.0"), registry.unsavedEdit("a"));
            assertEquals(List.of(new Problem(edited, 0, "a", unsavedEditMessage("a", "1.0.0"))),
                    registry.unsavedEdits());
            assertEquals(List.of(), registry.problems(), "an unsaved edit is listed apart from broken files");

            List<VersionInfo> versions = registry.versions("a");
            assertEquals(1, versions.size());
            assertEquals("first", versions.get(0).message(), "the version listed is the one saved");
            assertEquals(Map.of("latest", "1.0.0", "prod", "1.0.0"), registry.labels("a"));
            TemplateHistory h = registry.history("a");
            assertEquals(List.of(spec("a", "1.0.0", "saved")), h.versions().stream().map(SavedVersion::spec)
                    .collect(Collectors.toList()), "the history holds what was saved, not the edit");
            assertEquals(recordedText, Files.readString(recorded), "reading changes nothing");
        }
    }

    @Test
    void anUnsavedEditIsSeenWhileTheRegistryIsOpen() throws IOException, InterruptedException {
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            registry.save(spec("a", "1.0.0", "saved"));
            assertEquals("saved", registry.load("a", "1.0.0").template()); // cached at this generation
            assertEquals(Optional.empty(), registry.unsavedEdit("a"));
            write(dir.resolve("a.yaml"), file("a", "1.0.0", "edited"));
            eventually(() -> registry.load("a").template().equals("edited"), "the edit is seen");
            assertEquals("saved", registry.load("a", "1.0.0").template());
            assertEquals(Optional.of("1.0.0"), registry.unsavedEdit("a"));
        }
    }

    @Test
    void aReformattedFileIsNoEdit() throws IOException {
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            registry.save(new TemplateSpec("a", "1.0.0", "Greets", "Hello {{ name }}\n", Map.of("name",
                    InputSpec.of(InputType.STRING, true)), Map.of("tags", List.of("demo"))));
        }
        write(dir.resolve("a.yaml"), "# reformatted by hand\nid: 'a'\nversion: \"1.0.0\"\ndescription: Greets\n"
                + "template: |\n  Hello {{ name }}\ninputs: {name: {type: string, required: true}}\n"
                + "metadata:\n  tags:\n    - demo\n");
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            assertEquals(registry.load("a", "1.0.0"), registry.load("a"));
            assertEquals(Optional.empty(), registry.unsavedEdit("a"));
            assertEquals(List.of(), registry.unsavedEdits());
        }
    }

    @Test
    void aFileAtAVersionNeverSavedIsANewVersionNotAnEdit() throws IOException {
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            registry.save(spec("a", "1.0.0", "saved"));
        }
        write(dir.resolve("a.yaml"), file("a", "1.1.0", "edited"));
        write(dir.resolve("b.yaml"), file("b", "1.0.0", "never saved"));
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            assertEquals(Optional.empty(), registry.unsavedEdit("a"));
            assertEquals(Optional.empty(), registry.unsavedEdit("b"));
            assertEquals(List.of(), registry.unsavedEdits());
            assertEquals("edited", registry.load("a", "1.1.0").template());
            assertEquals("never saved", registry.load("b", "1.0.0").template());
        }
    }

    @Test
    void anUnsavedEditEndsWhenSavedAsANewVersionOrForcedOverTheSavedOne() throws IOException {
        savedThenEditedInPlace();
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            TemplateSpec edit = registry.load("a");
            Map<String, String> before = snapshot(dir);
            ValidationException refused = assertThrows(ValidationException.class, () -> registry.save(edit));
            assertEquals("template 'a': version 1.0.0 is already saved with different content, and versions do not"
                    + " change: save it as a new version, or force the save to replace it", refused.getMessage());
            assertEquals(before, snapshot(dir));

            registry.save(edit.withVersion("1.0.1"), SaveOptions.message("the edit"));
            assertEquals("saved", registry.load("a", "1.0.0").template(), "the saved version is kept as it was");
            assertEquals("edited", registry.load("a", "1.0.1").template());
            assertEquals(Optional.empty(), registry.unsavedEdit("a"));
            assertEquals("saved", registry.resolve(TemplateRef.parse("a@prod")).template());
        }
        savedThenEditedInPlace(); // a second template file state: back at 1.0.0, edited again
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            assertEquals(Optional.of("1.0.0"), registry.unsavedEdit("a"));
            registry.save(registry.load("a"), SaveOptions.message("fixed in place").forced());
            assertEquals(Optional.empty(), registry.unsavedEdit("a"));
            assertEquals("edited", registry.load("a", "1.0.0").template());
            assertEquals("edited", registry.resolve(TemplateRef.parse("a@prod")).template());
        }
    }

    @Test
    void unsavedEditOfAnUnknownOrBrokenTemplate() throws IOException {
        write(dir.resolve("broken.yaml"), "id: broken\nversion: 1.0.0\ntemplate: \"{{ oops(\"\n");
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            assertThrows(TemplateNotFoundException.class, () -> registry.unsavedEdit("missing"));
            assertEquals(Optional.empty(), registry.unsavedEdit("broken"), "a broken file is a problem of its own");
            assertEquals(List.of(), registry.unsavedEdits());
        }
    }

    @Test
    void aDamagedRecordOfTheFilesVersionIsAnErrorNotTheFilesContent() throws IOException {
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            registry.save(spec("a", "1.0.0", "saved"));
        }
        Path recorded = historyOf("a").resolve("versions/1.0.0.yaml");
        Files.writeString(recorded, "id: a\nversion: [1.0.0\n");
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            assertEquals("saved", registry.load("a").template());
            ValidationException e = assertThrows(ValidationException.class, () -> registry.load("a", "1.0.0"));
            assertEquals(recorded, e.file());
            assertEquals(List.of(new Problem(recorded, e.line(), "a", e.detail())), registry.unsavedEdits());
        }
    }

    @Test
    void anUnknownVersionIsNotFoundWithTheKnownVersionsListed() {
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            registry.save(spec("summarizer", "1.0.0", "one"));
            registry.save(spec("summarizer", "1.1.0", "two"));
            TemplateNotFoundException e = assertThrows(TemplateNotFoundException.class,
                    () -> registry.load("summarizer", "9.9.9"));
            assertEquals("template 'summarizer': no version 9.9.9 of this template; versions: 1.0.0, 1.1.0",
                    e.getMessage());
            assertThrows(TemplateNotFoundException.class,
                    () -> registry.resolve(TemplateRef.parse("summarizer@9.9.9")));
            assertEquals("missing", assertThrows(TemplateNotFoundException.class,
                    () -> registry.load("missing", "1.0.0")).templateId());
            assertThrows(TemplateNotFoundException.class, () -> registry.versions("missing"));
            assertThrows(TemplateNotFoundException.class, () -> registry.labels("missing"));
            assertThrows(TemplateNotFoundException.class, () -> registry.history("missing"));
            assertEquals(List.of(), registry.labelHistory("missing"));
        }
    }

    @Test
    void idsThatAreNotFileNamesKeepTheirHistoryInEncodedDirectories() throws IOException {
        List<String> ids = List.of("my template", "a:b/c", "naïve 🚀", ".hidden", "..", "50%");
        for (int i = 0; i < ids.size(); i++) {
            write(dir.resolve("legacy" + i + ".yaml"), "id: \"" + ids.get(i) + "\"\nversion: 1.0.0\ntemplate: old\n");
        }
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            for (String id : ids) {
                registry.save(spec(id, "1.1.0", "new"), SaveOptions.message("for " + id));
                registry.moveLabel(id, "prod", "1.0.0", null);
            }
        }
        try (LocalRegistry registry = LocalRegistry.open(dir); Stream<Path> names = Files.list(
                dir.resolve(".promptlightning/templates"))) {
            for (String id : ids) {
                assertEquals(List.of("1.0.0", "1.1.0"), versionNames(registry, id), id);
                assertEquals("old", registry.resolve(TemplateRef.ofLabel(id, "prod")).template(), id);
                assertEquals("for " + id, registry.versions(id).get(1).message());
                assertEquals(id, LocalHistory.decode(LocalHistory.encode(id)));
            }
            List<String> directories = names.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
            assertEquals(ids.size(), directories.size());
            for (String name : directories) {
                assertTrue(name.matches("[A-Za-z0-9_%-][A-Za-z0-9._%-]*"), name);
            }
            assertEquals(List.of(), registry.problems());
        }
    }

    @Test
    void aDamagedHistoryFileIsReportedWithItsFileAndLine() throws IOException {
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            registry.save(spec("a", "1.0.0", "one"));
            registry.save(spec("a", "1.1.0", "two"));
            Path moves = historyOf("a").resolve("label-history.yaml");
            Files.writeString(moves, Files.readString(moves) + "- {label: prod, from: null, to: 1.0.0, at: someday}\n");
            ValidationException badTime = assertThrows(ValidationException.class, () -> registry.labelHistory("a"));
            assertEquals(moves, badTime.file());
            assertEquals(3, badTime.line());
            assertEquals("a", badTime.templateId());
            assertTrue(badTime.getMessage().contains("'at' must be a UTC time"), badTime::getMessage);

            Path version = historyOf("a").resolve("versions/1.0.0.yaml");
            Files.writeString(version, "id: a\nversion: 1.0.0\ntemplate: [unclosed\n");
            ValidationException badYaml = assertThrows(ValidationException.class, () -> registry.load("a", "1.0.0"));
            assertEquals(version, badYaml.file());
            assertTrue(badYaml.line() > 0, badYaml::getMessage);
            assertEquals("two", registry.load("a").template(), "the template file is unaffected");
        }
    }

    @Test
    void aClosedRegistryRefusesTheHistoryCallsToo() throws IOException {
        LocalRegistry registry = LocalRegistry.open(dir);
        registry.save(spec("a", "1.0.0", "one"));
        registry.close();
        List<Executable> calls = List.of(() -> registry.load("a", "1.0.0"), () -> registry.versions("a"),
                () -> registry.labels("a"), () -> registry.labelHistory("a"), () -> registry.history("a"),
                () -> registry.resolve(TemplateRef.ofId("a")), () -> registry.stats(),
                () -> registry.search(List.of("x"), Map.of()), () -> registry.readOnly(),
                () -> registry.moveLabel("a", "prod", "1.0.0", null), () -> registry.backup(elsewhere.resolve("c")),
                () -> registry.save(spec("a", "1.1.0", "two"), SaveOptions.DEFAULT));
        for (Executable call : calls) {
            assertEquals("registry is closed", assertThrows(RegistryException.class, call).getMessage());
        }
        assertFalse(Files.exists(elsewhere.resolve("c")));
    }

    // ------------------------------------------------------------------------------------------- labels

    @Test
    void labelsMoveAndEveryMoveIsAppendedToTheLabelHistory() throws IOException {
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            registry.save(spec("a", "1.0.0", "one"));
            registry.save(spec("a", "1.1.0", "two"));
            registry.moveLabel("a", "prod", "1.0.0", "go live");
            registry.moveLabel("a", "prod", "1.1.0", null);
            registry.moveLabel("a", "staging", "1.1.0", "try it");
            registry.moveLabel("a", "staging", "1.1.0", "already there");

            assertEquals(Map.of("latest", "1.1.0", "prod", "1.1.0", "staging", "1.1.0"), registry.labels("a"));
            assertEquals(List.of("latest", "prod", "staging"), List.copyOf(registry.labels("a").keySet()));
            assertEquals("two", registry.resolve(TemplateRef.parse("a@prod")).template());
            assertEquals("one", registry.resolve(TemplateRef.parse("a@1.0.0")).template());
            assertEquals("two", registry.resolve(TemplateRef.parse("a")).template());
            registry.removeLabel("a", "staging", "done");
            assertEquals(Map.of("latest", "1.1.0", "prod", "1.1.0"), registry.labels("a"));

            List<LabelMove> moves = registry.labelHistory("a");
            assertEquals(List.of("null->1.0.0", "1.0.0->1.1.0"), labelsMoved(moves, "prod"));
            assertEquals(List.of("null->1.1.0", "1.1.0->null"), labelsMoved(moves, "staging"),
                    "a move to where the label already is records nothing");
            LabelMove goLive = moves.get(2);
            assertEquals(new LabelMove("prod", null, "1.0.0", goLive.at(), Authors.current(), "go live"), goLive);
            assertEquals("done", moves.get(moves.size() - 1).message());

            List<String> lines = Files.readAllLines(historyOf("a").resolve("label-history.yaml"));
            assertEquals(moves.size(), lines.size(), "one line per move");
            assertTrue(lines.stream().allMatch(l -> l.startsWith("- {label: ")), lines::toString);
            assertEquals("prod: 1.1.0\n", Files.readString(historyOf("a").resolve("labels.yaml")));
        }
    }

    @Test
    void aMessageWithLineBreaksAndQuotesStaysOnItsLine() throws IOException {
        String message = "line one\nline 'two': {x, y} \"quoted\" # not a comment\ttab \u0001";
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            registry.save(spec("a", "1.0.0", "one"), SaveOptions.message(message));
            registry.moveLabel("a", "prod", "1.0.0", message);
            assertEquals(2, Files.readAllLines(historyOf("a").resolve("label-history.yaml")).size());
            assertEquals(message, registry.labelHistory("a").get(1).message());
            assertEquals(message, registry.versions("a").get(0).message());
        }
    }

    @Test
    void wrongLabelRequestsAreRefusedAndChangeNothing() throws IOException {
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            registry.save(spec("a", "1.0.0", "one"));
            registry.save(spec("a", "1.1.0", "two"));
            registry.moveLabel("a", "prod", "1.0.0", null);
            Map<String, String> before = snapshot(dir);

            assertTrue(assertThrows(ValidationException.class, () -> registry.moveLabel("a", "latest", "1.0.0", null))
                    .getMessage().contains("'latest'"));
            assertThrows(ValidationException.class, () -> registry.moveLabel("a", "1bad", "1.0.0", null));
            assertThrows(ValidationException.class, () -> registry.removeLabel("a", "latest", null));
            TemplateNotFoundException noVersion = assertThrows(TemplateNotFoundException.class,
                    () -> registry.moveLabel("a", "prod", "2.0.0", null));
            assertTrue(noVersion.getMessage().endsWith("no version 2.0.0 of this template; versions: 1.0.0, 1.1.0"),
                    noVersion::getMessage);
            assertThrows(TemplateNotFoundException.class, () -> registry.moveLabel("missing", "prod", "1.0.0", null));
            TemplateNotFoundException noLabel = assertThrows(TemplateNotFoundException.class,
                    () -> registry.resolve(TemplateRef.parse("a@canary")));
            assertEquals("template 'a': no label 'canary' on this template; labels: latest, prod",
                    noLabel.getMessage());
            assertEquals("template 'a': no label 'canary' on this template; labels: latest, prod", assertThrows(
                    TemplateNotFoundException.class, () -> registry.removeLabel("a", "canary", null)).getMessage());
            assertEquals(before, snapshot(dir));
        }
    }

    @Test
    void aRefusedWriteLeavesADirectoryWithoutHistoryAsItWas() throws IOException {
        write(dir.resolve("a.yaml"), file("a", "1.0.0", "by hand"));
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            assertThrows(TemplateNotFoundException.class, () -> registry.moveLabel("a", "prod", "2.0.0", null));
            assertThrows(ValidationException.class, () -> registry.deleteVersion("a", "1.0.0"));
            assertThrows(TemplateNotFoundException.class, () -> registry.removeLabel("a", "prod", null));
            assertThrows(ValidationException.class, () -> registry.saveAll(List.of(spec("b", "1.0.0", "b"),
                    spec("c", "1.0.0", "{{ oops( }}")), SaveOptions.DEFAULT));
        }
        try (Stream<Path> names = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("a.yaml")), names.collect(Collectors.toList()));
        }
    }

    @Test
    void aLabelOnAVersionThatNoLongerExistsSaysSo() throws IOException {
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            registry.save(spec("a", "1.0.0", "one"));
            registry.save(spec("a", "1.1.0", "two"));
            registry.moveLabel("a", "prod", "1.0.0", null);
            Files.delete(historyOf("a").resolve("versions/1.0.0.yaml")); // as a careless hand or merge would
            TemplateNotFoundException e = assertThrows(TemplateNotFoundException.class,
                    () -> registry.resolve(TemplateRef.ofLabel("a", "prod")));
            assertEquals("template 'a': the label 'prod' points at version 1.0.0, which no longer exists; versions:"
                    + " 1.1.0", e.getMessage());
        }
    }

    @Test
    void aLabelOnTheUnrecordedFileVersionKeepsItsContentWhenTheFileMovesOn() throws IOException {
        write(dir.resolve("a.yaml"), file("a", "1.0.0", "by hand"));
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            registry.moveLabel("a", "prod", "1.0.0", null);
            registry.save(spec("a", "2.0.0", "saved"));
            assertEquals("by hand", registry.resolve(TemplateRef.ofLabel("a", "prod")).template());
        }
    }

    // ----------------------------------------------------------------------------------------- deleting

    @Test
    void deleteRemovesVersionsAndLabelsAndKeepsTheLabelHistory() throws IOException {
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            registry.save(spec("a", "1.0.0", "one"));
            registry.save(spec("a", "1.1.0", "two"));
            registry.moveLabel("a", "prod", "1.0.0", null);
            registry.delete("a");

            assertEquals(List.of(), registry.listIds());
            assertThrows(TemplateNotFoundException.class, () -> registry.load("a"));
            assertThrows(TemplateNotFoundException.class, () -> registry.load("a", "1.0.0"));
            assertThrows(TemplateNotFoundException.class, () -> registry.versions("a"));
            assertFalse(Files.exists(dir.resolve("a.yaml")));
            assertFalse(Files.exists(historyOf("a").resolve("versions")));
            assertFalse(Files.exists(historyOf("a").resolve("labels.yaml")));
            List<LabelMove> moves = registry.labelHistory("a");
            assertEquals(List.of("null->1.0.0", "1.0.0->1.1.0", "1.1.0->null"), labelsMoved(moves, "latest"));
            assertEquals(List.of("null->1.0.0", "1.0.0->null"), labelsMoved(moves, "prod"));
            assertEquals(new LabelMove("latest", "1.1.0", null, moves.get(moves.size() - 1).at(), Authors.current(),
                    null), moves.get(moves.size() - 1), "the removal of latest comes last");

            registry.save(spec("a", "2.0.0", "again"));
            assertEquals(List.of("2.0.0"), versionNames(registry, "a"));
            assertEquals(Map.of("latest", "2.0.0"), registry.labels("a"));
            assertEquals(moves.size() + 1, registry.labelHistory("a").size());
            assertThrows(TemplateNotFoundException.class, () -> registry.delete("never-was"));
        }
    }

    @Test
    void deletingTheLatestVersionMakesTheHighestRemainingOneTheLatest() throws IOException {
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            registry.save(spec("a", "1.0.0", "one"));
            registry.save(spec("a", "1.10.0", "ten"));
            registry.save(spec("a", "1.2.0", "two"));
            registry.deleteVersion("a", "1.2.0");
            assertEquals("ten", registry.load("a").template());
            assertEquals(SpecYaml.write(spec("a", "1.10.0", "ten")), Files.readString(dir.resolve("a.yaml")));
            assertEquals(List.of("1.0.0", "1.10.0"), versionNames(registry, "a"));
            assertEquals("1.2.0->1.10.0", labelsMoved(registry.labelHistory("a"), "latest").get(3));

            registry.deleteVersion("a", "1.0.0");
            assertEquals(List.of("1.10.0"), versionNames(registry, "a"));
            assertEquals("ten", registry.load("a").template());
            assertThrows(TemplateNotFoundException.class, () -> registry.load("a", "1.0.0"));
        }
    }

    @Test
    void deleteVersionRefusesTheOnlyVersionALabelledOneAndAnUnknownOne() throws IOException {
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            registry.save(spec("a", "1.0.0", "one"));
            ValidationException only = assertThrows(ValidationException.class,
                    () -> registry.deleteVersion("a", "1.0.0"));
            assertTrue(only.getMessage().contains("only version"), only::getMessage);

            registry.save(spec("a", "1.1.0", "two"));
            registry.moveLabel("a", "prod", "1.0.0", null);
            registry.moveLabel("a", "beta", "1.0.0", null);
            Map<String, String> before = snapshot(dir);
            ValidationException labelled = assertThrows(ValidationException.class,
                    () -> registry.deleteVersion("a", "1.0.0"));
            assertEquals("template 'a': version 1.0.0 is labelled beta, prod; move or remove those labels first",
                    labelled.getMessage());
            TemplateNotFoundException unknown = assertThrows(TemplateNotFoundException.class,
                    () -> registry.deleteVersion("a", "3.0.0"));
            assertTrue(unknown.getMessage().endsWith("versions: 1.0.0, 1.1.0"), unknown::getMessage);
            assertThrows(TemplateNotFoundException.class, () -> registry.deleteVersion("missing", "1.0.0"));
            assertEquals(before, snapshot(dir));
        }
    }

    // ---------------------------------------------------------------------------------- batches, journal

    @Test
    void saveAllSavesEveryTemplateOrNone() throws IOException {
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            registry.saveAll(List.of(spec("x", "1.0.0", "x"), spec("y", "1.0.0", "y")), SaveOptions.message("both"));
            assertEquals(List.of("x", "y"), registry.listIds());
            assertEquals("both", registry.versions("y").get(0).message());
            Map<String, String> before = snapshot(dir);

            ValidationException changed = assertThrows(ValidationException.class, () -> registry.saveAll(
                    List.of(spec("z", "1.0.0", "z"), spec("x", "1.0.0", "other")), SaveOptions.DEFAULT));
            assertEquals("x", changed.templateId());
            ValidationException broken = assertThrows(ValidationException.class, () -> registry.saveAll(
                    List.of(spec("z", "1.0.0", "z"), spec("w", "1.0.0", "{% if %}")), SaveOptions.DEFAULT));
            assertEquals("w", broken.templateId());
            assertThrows(ValidationException.class, () -> registry.saveAll(
                    List.of(spec("z", "1.0.0", "z"), spec("../w", "1.0.0", "w")), SaveOptions.DEFAULT));

            assertEquals(before, snapshot(dir));
            assertEquals(List.of("x", "y"), registry.listIds());
        }
    }

    @Test
    void aBatchSeesItsOwnEarlierSaves() {
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            registry.saveAll(List.of(spec("a", "1.0.0", "one"), spec("a", "1.1.0", "two"), spec("a-2", "1.0.0", "b")),
                    SaveOptions.DEFAULT);
            assertEquals(List.of("1.0.0", "1.1.0"), versionNames(registry, "a"));
            assertEquals("two", registry.load("a").template());
            assertEquals(List.of("null->1.0.0", "1.0.0->1.1.0"), labelsMoved(registry.labelHistory("a"), "latest"));
            assertEquals(List.of("a", "a-2"), registry.listIds());
        }
    }

    @Test
    void deleteAllRemovesEveryTemplateNamedOrNone() throws IOException {
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            registry.saveAll(List.of(spec("x", "1.0.0", "x"), spec("y", "1.0.0", "y"), spec("z", "1.0.0", "z")),
                    SaveOptions.DEFAULT);
            Map<String, String> before = snapshot(dir);
            TemplateNotFoundException e = assertThrows(TemplateNotFoundException.class,
                    () -> registry.deleteAll(List.of("x", "missing", "y")));
            assertEquals("missing", e.templateId());
            assertEquals(before, snapshot(dir));

            registry.deleteAll(List.of("x", "y", "x"));
            assertEquals(List.of("z"), registry.listIds());
            assertEquals(List.of("1.0.0->null"), labelsMoved(registry.labelHistory("x"), "latest").subList(1, 2));
        }
    }

    @Test
    void aLargeBatchIsWrittenWholeAndReadsBackAfterReopening() throws IOException {
        int size = 3 * BulkSync.THRESHOLD;
        List<TemplateSpec> first = new ArrayList<>();
        List<TemplateSpec> second = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            first.add(spec("t" + i, "1.0.0", "first " + i));
            second.add(spec("t" + i, "1.1.0", "second " + i));
        }
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            registry.saveAll(first, SaveOptions.message("first"));
            registry.saveAll(second, SaveOptions.message("second"));
            registry.moveLabel("t0", "prod", "1.0.0", null);
        }
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            assertEquals(size, registry.listIds().size());
            for (int i = 0; i < size; i++) {
                assertEquals("second " + i, registry.load("t" + i).template());
                assertEquals("first " + i, registry.load("t" + i, "1.0.0").template());
                assertEquals(List.of("null->1.0.0", "1.0.0->1.1.0"), labelsMoved(registry.labelHistory("t" + i),
                        "latest"));
            }
            assertEquals("first 0", registry.resolve(TemplateRef.ofLabel("t0", "prod")).template());
            assertEquals(List.of(), registry.problems());
        }
        assertNoJournalOrTemporaryFile();
    }

    @Test
    void aLargeCommittedWriteLeftByACrashIsCompletedWhenTheDirectoryIsOpened() throws IOException {
        int size = 2 * BulkSync.THRESHOLD;
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            List<TemplateSpec> first = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                first.add(spec("t" + i, "1.0.0", "first " + i));
            }
            registry.saveAll(first, SaveOptions.DEFAULT);
        }
        LocalHistory history = new LocalHistory(dir);
        Instant at = Instant.parse("2024-05-01T09:30:00Z");
        FileJournal.Changes changes = new FileJournal.Changes();
        for (int i = 0; i < size; i++) {
            TemplateSpec next = spec("t" + i, "1.1.0", "second " + i);
            changes.write(history.versionFile("t" + i, "1.1.0"), LocalHistory.versionText(new SavedVersion(next,
                    new VersionInfo("1.1.0", at, "crashed", null))));
            changes.append(history.labelHistoryFile("t" + i), LocalHistory.moveLine(new LabelMove("latest", "1.0.0",
                    "1.1.0", at, "crashed", null)));
            changes.write(dir.resolve("t" + i + ".yaml"), SpecYaml.write(next));
        }
        FileJournal.Staged staged = history.journal().stage(changes);
        staged.commit(); // and the process dies here
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            for (int i = 0; i < size; i++) {
                assertEquals("second " + i, registry.load("t" + i).template());
                assertEquals(List.of("null->1.0.0", "1.0.0->1.1.0"), labelsMoved(registry.labelHistory("t" + i),
                        "latest"));
            }
            assertEquals(List.of(), registry.problems());
        }
        assertNoJournalOrTemporaryFile();
    }

    /** A process killed in the middle of saving batches leaves each batch whole or absent. */
    @Test
    void aProcessKilledMidBatchLeavesWholeBatchesOnly() throws Exception {
        try (SecondJvm child = SecondJvm.start(LocalSecondProcess.class, dir.toString())) {
            child.send("batches k 200");
            assertEquals("batch 0", child.next());
            assertEquals("batch 1", child.next());
            child.kill(); // SIGKILL, in the middle of a later batch
        }
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            Map<String, Integer> perBatch = new HashMap<>();
            for (String id : registry.listIds()) {
                perBatch.merge(id.substring(0, id.lastIndexOf('-')), 1, Integer::sum);
                assertEquals(List.of("1.0.0"), versionNames(registry, id));
            }
            assertTrue(perBatch.size() >= 2, perBatch::toString);
            perBatch.forEach((batch, n) -> assertEquals(200, n, batch + " is whole"));
            assertEquals(List.of(), registry.problems());
            registry.save(spec("after", "1.0.0", "the directory takes writes again"));
        }
        assertNoJournalOrTemporaryFile();
    }

    /** What a save of {@code a} 1.1.0 over 1.0.0 writes, staged in a journal of {@code dir}. */
    FileJournal.Staged stageSaveOfNewVersion(LocalHistory history) {
        TemplateSpec next = spec("a", "1.1.0", "two");
        Instant at = Instant.parse("2024-05-01T09:30:00Z");
        FileJournal.Changes changes = new FileJournal.Changes();
        changes.write(history.versionFile("a", "1.1.0"), LocalHistory.versionText(new SavedVersion(next,
                new VersionInfo("1.1.0", at, "crashed", "lost?"))));
        changes.append(history.labelHistoryFile("a"), LocalHistory.moveLine(new LabelMove("latest", "1.0.0", "1.1.0",
                at, "crashed", "lost?")));
        changes.write(dir.resolve("a.yaml"), SpecYaml.write(next));
        return history.journal().stage(changes);
    }

    @Test
    void aCommittedWriteLeftByACrashIsCompletedWhenTheDirectoryIsOpened() throws IOException {
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            registry.save(spec("a", "1.0.0", "one"));
        }
        FileJournal.Staged staged = stageSaveOfNewVersion(new LocalHistory(dir));
        staged.commit(); // and the process dies here
        assertEquals("one", SpecYaml.parse(dir.resolve("a.yaml")).specOrThrow().template());

        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            assertEquals("two", registry.load("a").template());
            assertEquals(List.of("1.0.0", "1.1.0"), versionNames(registry, "a"));
            assertEquals("lost?", registry.versions("a").get(1).message());
            assertEquals(List.of("null->1.0.0", "1.0.0->1.1.0"), labelsMoved(registry.labelHistory("a"), "latest"));
            assertEquals(List.of(), registry.problems());
        }
        assertNoJournalOrTemporaryFile();
    }

    @Test
    void aWriteAppliedButNotClearedFromTheJournalIsNotAppliedTwice() throws IOException {
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            registry.save(spec("a", "1.0.0", "one"));
        }
        FileJournal.Staged staged = stageSaveOfNewVersion(new LocalHistory(dir));
        staged.commit();
        staged.apply(); // and the process dies before removing the journal
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            assertEquals(List.of("null->1.0.0", "1.0.0->1.1.0"), labelsMoved(registry.labelHistory("a"), "latest"));
            assertEquals("two", registry.load("a").template());
        }
        assertNoJournalOrTemporaryFile();
    }

    @Test
    void anUncommittedWriteLeftByACrashIsDropped() throws IOException {
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            registry.save(spec("a", "1.0.0", "one"));
        }
        Map<String, String> before = snapshot(dir);
        stageSaveOfNewVersion(new LocalHistory(dir)); // the process dies before committing
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "a temporary file is staged");
        }
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            assertEquals("one", registry.load("a").template());
            assertEquals(List.of("1.0.0"), versionNames(registry, "a"));
        }
        assertNoJournalOrTemporaryFile();
        assertEquals(before, snapshot(dir));
    }

    @Test
    void aCommittedWriteLeftByACrashIsCompletedBeforeTheNextWrite() throws IOException {
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            registry.save(spec("a", "1.0.0", "one"));
            stageSaveOfNewVersion(new LocalHistory(dir)).commit(); // another process, which dies
            registry.moveLabel("a", "prod", "1.1.0", null);
            assertEquals("two", registry.resolve(TemplateRef.ofLabel("a", "prod")).template());
            assertEquals("two", registry.load("a").template());
        }
        assertNoJournalOrTemporaryFile();
    }

    void assertNoJournalOrTemporaryFile() throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            List<Path> left = paths.filter(p -> p.getFileName().toString().endsWith(".tmp")
                    || p.getParent() != null && p.getParent().endsWith("journal")).collect(Collectors.toList());
            assertEquals(List.of(), left);
        }
    }

    // ------------------------------------------------------------------------------- other processes

    @Test
    void twoProcessesMovingOneLabelAtOnceLoseNoMove() throws Exception {
        int moves = 25;
        List<String> mine = new ArrayList<>();
        List<String> theirs = new ArrayList<>();
        List<TemplateSpec> versions = new ArrayList<>();
        for (int i = 0; i < moves; i++) {
            mine.add("1.0." + i);
            theirs.add("2.0." + i);
            versions.add(spec("a", "1.0." + i, "mine " + i));
            versions.add(spec("a", "2.0." + i, "theirs " + i));
        }
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            registry.saveAll(versions, SaveOptions.DEFAULT);
            try (SecondJvm second = SecondJvm.start(LocalSecondProcess.class, dir.toString())) {
                second.send("move a prod " + String.join(",", theirs));
                for (String version : mine) {
                    registry.moveLabel("a", "prod", version, "from the first process");
                }
                assertEquals("ok", second.next());
            }
            List<LabelMove> prod = registry.labelHistory("a").stream().filter(m -> m.label().equals("prod"))
                    .collect(Collectors.toList());
            assertEquals(2 * moves, prod.size(), "every move is in the history");
            String previous = null;
            for (LabelMove move : prod) {
                assertEquals(previous, move.from(), "each move starts where the one before it ended");
                previous = move.to();
            }
            assertEquals(previous, registry.labels("a").get("prod"), "the last move is the final state");
            Set<String> targets = prod.stream().map(LabelMove::to).collect(Collectors.toSet());
            assertTrue(targets.containsAll(mine) && targets.containsAll(theirs));
        }
    }

    /**
     * A caller that read where a label points, then moves it, is told where it pointed when it moved: here another
     * process moved it in between.
     */
    @Test
    void aLabelMoveReturnsTheMoveRecordedNotTheStateTheCallerRead() throws Exception {
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            registry.save(spec("a", "1.0.0", "one"));
            registry.save(spec("a", "2.0.0", "two"));
            registry.save(spec("a", "3.0.0", "three"));
            assertNull(registry.moveLabel("a", "prod", "1.0.0", null).orElseThrow().from(), "a new label");
            assertEquals("1.0.0", registry.labels("a").get("prod"), "what the caller read");
            try (SecondJvm second = SecondJvm.start(LocalSecondProcess.class, dir.toString())) {
                assertEquals("ok", second.ask("move a prod 2.0.0"));
            }

            LabelMove moved = registry.moveLabel("a", "prod", "3.0.0", "here").orElseThrow();
            assertEquals("2.0.0", moved.from());
            assertEquals("3.0.0", moved.to());
            assertEquals("here", moved.message());
            assertEquals(Authors.current(), moved.author());
            List<LabelMove> history = registry.labelHistory("a");
            assertEquals(moved, history.get(history.size() - 1));

            assertEquals(Optional.empty(), registry.moveLabel("a", "prod", "3.0.0", "again"),
                    "already there: nothing recorded");
            assertEquals(history, registry.labelHistory("a"));

            LabelMove removed = registry.removeLabel("a", "prod", "retire");
            assertEquals(List.of("3.0.0", "retire"), Arrays.asList(removed.from(), removed.message()));
            assertNull(removed.to());
            history = registry.labelHistory("a");
            assertEquals(removed, history.get(history.size() - 1));
        }
    }

    @Test
    void aLabelMovedByAnotherProcessMovesTheGenerationAndIsNoTemplate() throws Exception {
        try (LocalRegistry writer = LocalRegistry.open(dir)) {
            writer.save(spec("a", "1.0.0", "one"));
            writer.save(spec("a", "1.1.0", "two"));
        }
        // opened after the saves, so that only the other process's move can change its generation
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            long before = registry.generation();
            try (SecondJvm second = SecondJvm.start(LocalSecondProcess.class, dir.toString())) {
                assertEquals("ok", second.ask("move a prod 1.0.0"));
            }
            eventually(() -> registry.generation() != before, "the generation moves");
            assertEquals("1.0.0", registry.labels("a").get("prod"));
            assertEquals(List.of("a"), registry.listIds());
            assertEquals(List.of(), registry.problems());
        }
    }

    @Test
    void aVaultServesALabelMovedByAnotherWriterOnceTheMoveIsSeen() throws Exception {
        try (LocalRegistry other = LocalRegistry.open(dir)) {
            other.save(spec("a", "1.0.0", "one"));
            other.save(spec("a", "1.1.0", "two"));
            other.moveLabel("a", "prod", "1.0.0", null);
            try (Vault vault = Vault.ofPromptDir(dir)) {
                assertEquals("one", vault.get("a@prod").spec().template());
                assertEquals("one", vault.get("a@1.0.0").spec().template());
                other.moveLabel("a", "prod", "1.1.0", null);
                eventually(() -> vault.get("a@prod").version().equals("1.1.0"), "the vault serves the new target");
                assertEquals("two", vault.get("a").spec().template());
            }
        }
    }

    @Test
    void withoutFileEventsAScanSeesALabelMovedElsewhere() throws Exception {
        try (LocalRegistry other = LocalRegistry.open(dir)) {
            other.save(spec("a", "1.0.0", "one"));
            try (LocalRegistry scanning = LocalRegistry.openScanning(dir)) {
                long before = scanning.generation();
                other.moveLabel("a", "prod", "1.0.0", null);
                eventually(() -> scanning.generation() != before, "the generation moves");
                assertEquals(List.of("a"), scanning.listIds());
                assertEquals(List.of(), scanning.problems());
            }
        }
    }


    // ------------------------------------------------------------------------------------------- search

    @Test
    void searchFindsLatestVersionsByTagsAndMetadata() throws IOException, InterruptedException {
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            Map<String, Object> greeter = new LinkedHashMap<>();
            greeter.put("tags", List.of("greeting", "demo"));
            greeter.put("team", "core");
            greeter.put("rating", 5);
            greeter.put("beta", true);
            greeter.put("ratio", 0.5);
            greeter.put("langs", List.of("en", "fr", 3));
            Map<String, Object> summarizer = new LinkedHashMap<>();
            summarizer.put("tags", List.of("demo"));
            summarizer.put("team", "core");
            summarizer.put("beta", false);
            registry.saveAll(List.of(withMetadata("greeter", greeter), withMetadata("summarizer", summarizer),
                    spec("plain", "1.0.0", "no metadata")), SaveOptions.DEFAULT);

            assertEquals(List.of("greeter"), registry.search(List.of("greeting"), Map.of()));
            assertEquals(List.of("greeter", "summarizer"), registry.search(List.of("demo"), Map.of()));
            assertEquals(List.of("greeter"), registry.search(List.of("demo", "greeting"), Map.of()));
            assertEquals(List.of("greeter", "summarizer"), registry.search(List.of(), Map.of("team", "core")));
            assertEquals(List.of("greeter"), registry.search(List.of(), Map.of("rating", "5")));
            assertEquals(List.of("greeter"), registry.search(List.of(), Map.of("beta", "true")));
            assertEquals(List.of("summarizer"), registry.search(List.of(), Map.of("beta", "false")));
            assertEquals(List.of("greeter"), registry.search(List.of(), Map.of("ratio", "0.5")));
            assertEquals(List.of("greeter"), registry.search(List.of(), Map.of("langs", "fr")));
            assertEquals(List.of("greeter"), registry.search(List.of(), Map.of("langs", "3")));
            assertEquals(List.of("greeter"), registry.search(List.of("demo"), Map.of("team", "core", "beta", "true")));
            assertEquals(List.of(), registry.search(List.of("demo"), Map.of("team", "other")));
            assertEquals(List.of(), registry.search(List.of("nope"), Map.of()));
            assertEquals(List.of("greeter", "plain", "summarizer"), registry.search(List.of(), Map.of()));

            registry.save(new TemplateSpec("summarizer", "1.1.0", null, "t", null, Map.of("tags", List.of("greeting"))));
            assertEquals(List.of("greeter", "summarizer"), registry.search(List.of("greeting"), Map.of()));
            assertEquals(List.of("greeter"), registry.search(List.of("demo"), Map.of()),
                    "only the latest version counts");
            registry.delete("greeter");
            assertEquals(List.of("summarizer"), registry.search(List.of("greeting"), Map.of()));

            write(dir.resolve("plain.yaml"), "id: plain\nversion: 2.0.0\ntemplate: t\nmetadata:\n  tags: [greeting]\n");
            eventually(() -> registry.search(List.of("greeting"), Map.of()).equals(List.of("plain", "summarizer")),
                    "an edit by hand is indexed");
        }
    }

    // -------------------------------------------------------------------------------------------- stats

    @Test
    void statsCountTemplatesVersionsLabelsAndTheBytesOfEveryFile() throws IOException {
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            assertEquals(new RegistryStats(0, 0, 0, -1, 0, null), registry.stats());
        }
        write(dir.resolve("sub/b.yaml"), file("b", "1.0.0", "by hand"));
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            registry.save(spec("a", "1.0.0", "one"));
            registry.save(spec("a", "1.1.0", "two"));
            registry.moveLabel("a", "prod", "1.0.0", null);
            registry.moveLabel("a", "beta", "1.1.0", null);
            registry.moveLabel("b", "prod", "1.0.0", null); // records b's file version

            long bytes = 0;
            FileTime newest = FileTime.fromMillis(0);
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.filter(Files::isRegularFile).collect(Collectors.toList())) {
                    String name = p.getFileName().toString();
                    if (name.equals("lock") || name.equals(".gitignore")) {
                        continue;
                    }
                    bytes += Files.size(p);
                    FileTime modified = Files.getLastModifiedTime(p);
                    newest = modified.compareTo(newest) > 0 ? modified : newest;
                }
            }
            assertEquals(new RegistryStats(2, 3, 3, -1, bytes, newest.toInstant()), registry.stats());
        }
    }

    // ---------------------------------------------------------------------------------- history, import

    /** A template with recorded and unrecorded versions, labels, and moves of all kinds. */
    static void buildHistory(LocalRegistry registry, Path dir) throws IOException {
        write(dir.resolve("a.yaml"), file("a", "0.9.0", "by hand"));
        registry.save(new TemplateSpec("a", "1.0.0", "first", "Hello {{ name }}", Map.of("name",
                InputSpec.of(InputType.STRING, true)), Map.of("tags", List.of("demo"), "rating", 4)),
                SaveOptions.message("first"));
        registry.save(spec("a", "1.1.0", "two"), SaveOptions.message("second"));
        registry.moveLabel("a", "prod", "1.0.0", "go live");
        registry.moveLabel("a", "beta", "1.1.0", null);
        registry.removeLabel("a", "beta", "enough");
        registry.save(spec("b", "1.0.0", "b"));
    }

    @Test
    void historyHoldsEveryVersionTheLatestTheLabelsAndTheirMoves() throws IOException {
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            buildHistory(registry, dir);
            TemplateHistory h = registry.history("a");
            assertEquals("a", h.id());
            assertEquals(List.of("0.9.0", "1.0.0", "1.1.0"), h.versions().stream().map(v -> v.spec().version())
                    .collect(Collectors.toList()));
            assertNull(h.versions().get(0).info().savedAt());
            assertEquals("by hand", h.versions().get(0).spec().template());
            assertEquals(registry.load("a", "1.0.0"), h.versions().get(1).spec());
            assertEquals(registry.versions("a").get(1), h.versions().get(1).info());
            assertEquals("1.1.0", h.latest());
            assertEquals(Map.of("prod", "1.0.0"), h.labels());
            assertEquals(registry.labelHistory("a"), h.labelHistory());
        }
    }

    @Test
    void anImportedHistoryReadsBackExactly() throws IOException {
        Path source = elsewhere.resolve("source");
        Files.createDirectories(source);
        TemplateHistory exported;
        try (LocalRegistry registry = LocalRegistry.open(source)) {
            buildHistory(registry, source);
            exported = registry.history("a");
        }
        TemplateHistory made = new TemplateHistory("made", List.of(
                new SavedVersion(spec("made", "1.0.0", "x"), new VersionInfo("1.0.0",
                        Instant.parse("2020-01-02T03:04:05.123Z"), null, "milliseconds kept")),
                new SavedVersion(spec("made", "2.0.0-rc.1+build.5", "y"), new VersionInfo("2.0.0-rc.1+build.5", null,
                        "someone else", null))), "2.0.0-rc.1+build.5", Map.of("prod", "1.0.0"),
                List.of(new LabelMove("prod", null, "1.0.0", Instant.parse("2020-01-02T03:04:05Z"), null, null),
                        new LabelMove("old", "0.1.0", null, Instant.parse("2019-01-01T00:00:00Z"), "x", "gone")));
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            registry.importHistory(List.of(exported, made), ImportMode.ADD);
            assertEquals(exported, registry.history("a"));
            assertEquals(made, registry.history("made"));
        }
        try (LocalRegistry reopened = LocalRegistry.open(dir)) {
            assertEquals(exported, reopened.history("a"));
            assertEquals(made, reopened.history("made"));
            assertEquals(List.of(), reopened.problems());
        }
    }

    @Test
    void importAddRefusesAnExistingIdAndWritesNothing() throws IOException {
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            registry.save(spec("a", "1.0.0", "mine"));
            TemplateHistory incoming = new TemplateHistory("a", List.of(new SavedVersion(spec("a", "5.0.0", "theirs"),
                    new VersionInfo("5.0.0", null, null, null))), "5.0.0", Map.of(), List.of());
            TemplateHistory fresh = new TemplateHistory("fresh", List.of(new SavedVersion(spec("fresh", "1.0.0", "f"),
                    new VersionInfo("1.0.0", null, null, null))), "1.0.0", Map.of(), List.of());
            Map<String, String> before = snapshot(dir);
            ValidationException e = assertThrows(ValidationException.class,
                    () -> registry.importHistory(List.of(fresh, incoming), ImportMode.ADD));
            assertEquals("a", e.templateId());
            assertTrue(e.getMessage().contains("already in the registry"), e::getMessage);
            assertEquals(before, snapshot(dir));
            assertEquals(List.of("a"), registry.listIds());
        }
    }

    @Test
    void anInvalidImportIsRefusedWhole() throws IOException {
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            registry.save(spec("a", "1.0.0", "mine"));
            Map<String, String> before = snapshot(dir);
            TemplateHistory good = new TemplateHistory("good", List.of(new SavedVersion(spec("good", "1.0.0", "g"),
                    new VersionInfo("1.0.0", null, null, null))), "1.0.0", Map.of(), List.of());
            List<TemplateHistory> bad = List.of(
                    new TemplateHistory("bad", List.of(new SavedVersion(spec("bad", "1.0.0", "b"),
                            new VersionInfo("1.0.0", null, null, null))), "1.0.0", Map.of("prod", "2.0.0"), List.of()),
                    new TemplateHistory("bad", List.of(new SavedVersion(spec("bad", "1.0.0", "{% for %}"),
                            new VersionInfo("1.0.0", null, null, null))), "1.0.0", Map.of(), List.of()),
                    new TemplateHistory("bad", List.of(new SavedVersion(spec("other", "1.0.0", "b"),
                            new VersionInfo("1.0.0", null, null, null))), "1.0.0", Map.of(), List.of()),
                    new TemplateHistory("bad id", List.of(new SavedVersion(spec("bad id", "1.0.0", "b"),
                            new VersionInfo("1.0.0", null, null, null))), "1.0.0", Map.of(), List.of()),
                    good);
            for (TemplateHistory h : bad) {
                assertThrows(ValidationException.class, () -> registry.importHistory(List.of(good, h),
                        ImportMode.REPLACE_ALL), h::toString);
                assertEquals(before, snapshot(dir));
            }
        }
    }

    @Test
    void importReplaceIdsReplacesTheImportedTemplatesOnly() throws IOException {
        TemplateHistory replacement = new TemplateHistory("a", List.of(new SavedVersion(spec("a", "3.0.0", "new"),
                new VersionInfo("3.0.0", Instant.parse("2021-01-01T00:00:00Z"), "importer", "imported"))), "3.0.0",
                Map.of(), List.of());
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            registry.save(spec("a", "1.0.0", "one"));
            registry.save(spec("a", "1.1.0", "two"));
            registry.moveLabel("a", "prod", "1.0.0", null);
            registry.save(spec("b", "1.0.0", "kept"));
            registry.importHistory(List.of(replacement), ImportMode.REPLACE_IDS);
            assertEquals(replacement, registry.history("a"));
            assertEquals(List.of("3.0.0"), versionNames(registry, "a"));
            assertEquals(Map.of("latest", "3.0.0"), registry.labels("a"));
            assertEquals(List.of("a", "b"), registry.listIds());
            assertEquals("kept", registry.load("b").template());
            assertEquals(List.of(), registry.search(List.of(), Map.of("nothing", "here")));
        }
    }

    @Test
    void importReplaceAllLeavesExactlyWhatWasImported() throws IOException {
        TemplateHistory only = new TemplateHistory("only", List.of(new SavedVersion(spec("only", "1.0.0", "o"),
                new VersionInfo("1.0.0", null, null, null))), "1.0.0", Map.of(), List.of());
        write(dir.resolve("dup/one.yaml"), file("dup", "1.0.0", "first file"));
        write(dir.resolve("dup/two.yaml"), file("dup", "1.0.0", "second file"));
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            registry.save(spec("a", "1.0.0", "one"));
            registry.moveLabel("a", "prod", "1.0.0", null);
            registry.save(spec("gone", "1.0.0", "deleted earlier"));
            registry.delete("gone");
            registry.importHistory(List.of(only), ImportMode.REPLACE_ALL);
            assertEquals(List.of("only"), registry.listIds());
            assertEquals(only, registry.history("only"));
            assertEquals(List.of(), registry.labelHistory("a"));
            assertEquals(List.of(), registry.labelHistory("gone"));
            assertFalse(Files.exists(dir.resolve("dup/two.yaml")), "a duplicate file goes too");
            try (Stream<Path> names = Files.list(dir.resolve(".promptlightning/templates"))) {
                assertEquals(List.of("only"), names.map(p -> p.getFileName().toString()).collect(Collectors.toList()));
            }
        }
    }

    // ------------------------------------------------------------------------------------------- backup

    @Test
    void aBackupOpensAsARegistryWithTheSameHistory() throws IOException {
        Path copy = elsewhere.resolve("copy");
        write(dir.resolve("team/n.yaml"), file("nested", "1.0.0", "n"));
        write(dir.resolve("README.md"), "not a template");
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            buildHistory(registry, dir);
            registry.save(spec("nested", "1.1.0", "n"));
            registry.backup(copy);
            try (LocalRegistry restored = LocalRegistry.open(copy)) {
                assertEquals(registry.listIds(), restored.listIds());
                for (String id : registry.listIds()) {
                    assertEquals(registry.history(id), restored.history(id));
                }
                assertEquals(List.of(), restored.problems());
            }
        }
        assertTrue(Files.exists(copy.resolve("team/n.yaml")));
        assertFalse(Files.exists(copy.resolve("README.md")));
        assertFalse(Files.exists(copy.resolve(".promptlightning/lock")));
        assertFalse(Files.exists(copy.resolve(".promptlightning/journal")));
        try (Stream<Path> names = Files.list(elsewhere)) {
            assertEquals(List.of(copy), names.collect(Collectors.toList()), "no temporary directory is left");
        }
    }

    @Test
    void aBackupRefusesADestinationThatExistsOrCannotBeWritten() throws Exception {
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            registry.save(spec("a", "1.0.0", "one"));
            Path existing = Files.createDirectories(elsewhere.resolve("existing"));
            RegistryException e = assertThrows(RegistryException.class, () -> registry.backup(existing));
            assertEquals(existing, e.file());
            assertTrue(e.getMessage().contains("already exists"), e::getMessage);
            Path aFile = Files.writeString(elsewhere.resolve("a-file"), "x");
            assertEquals(aFile, assertThrows(RegistryException.class, () -> registry.backup(aFile)).file());

            Path locked = Files.createDirectories(elsewhere.resolve("locked"));
            Path target = locked.resolve("copy");
            try (AutoCloseable readOnly = LocalRegistryTest.readOnly(locked)) {
                RegistryException denied = assertThrows(RegistryException.class, () -> registry.backup(target));
                assertEquals(target, denied.file());
            }
            try (Stream<Path> names = Files.list(locked)) {
                assertEquals(0, names.count(), "nothing is left there");
            }
        }
    }

    // ---------------------------------------------------------------------------------------- read-only

    @Test
    void aReadOnlyRegistryRefusesEveryWriteAndChangesNothing() throws IOException {
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            buildHistory(registry, dir);
            assertFalse(registry.readOnly());
        }
        Map<String, String> before = snapshot(dir);
        TemplateHistory h;
        try (LocalRegistry registry = LocalRegistry.builder(dir).readOnly(true).build()) {
            assertTrue(registry.readOnly());
            h = registry.history("a");
            List<Executable> writes = List.of(
                    () -> registry.save(spec("a", "9.0.0", "x")),
                    () -> registry.save(spec("new", "1.0.0", "x"), SaveOptions.DEFAULT.forced()),
                    () -> registry.saveAll(List.of(spec("new", "1.0.0", "x")), SaveOptions.DEFAULT),
                    () -> registry.delete("a"),
                    () -> registry.deleteAll(List.of("a")),
                    () -> registry.deleteVersion("a", "1.0.0"),
                    () -> registry.moveLabel("a", "prod", "1.1.0", null),
                    () -> registry.removeLabel("a", "prod", null),
                    () -> registry.importHistory(List.of(h), ImportMode.REPLACE_ALL));
            for (Executable write : writes) {
                RegistryException e = assertThrows(RegistryException.class, write);
                assertEquals(dir + ": the registry is read-only", e.getMessage());
            }
            assertEquals("1.0.0", registry.resolve(TemplateRef.ofLabel("a", "prod")).version());
            assertEquals(3, registry.versions("a").size());
            registry.backup(elsewhere.resolve("copy"));
        }
        assertEquals(before, snapshot(dir));
        try (LocalRegistry copy = LocalRegistry.open(elsewhere.resolve("copy"))) {
            assertEquals(h, copy.history("a"));
        }
    }

    @Test
    void aVaultConfiguredReadOnlyOpensThePromptDirectoryReadOnly() throws IOException {
        Path prompts = Files.createDirectories(dir.resolve("prompts"));
        write(prompts.resolve("a.yaml"), file("a", "1.0.0", "x"));
        Path config = Files.writeString(dir.resolve("promptlightning.yaml"), "registry: local\nprompt_dir: prompts\n"
                + "read_only: true\n");
        try (Vault vault = Vault.open(config)) {
            assertTrue(vault.registry().readOnly());
            assertEquals("x", vault.get("a").spec().template());
            assertThrows(RegistryException.class, () -> vault.registry().save(spec("a", "2.0.0", "y")));
        }
        assertFalse(Files.exists(prompts.resolve(LocalRegistry.HISTORY_DIRECTORY)));
    }

    @Test
    void aReadOnlyRegistryCreatesNothingInTheDirectory() throws IOException {
        write(dir.resolve("a.yaml"), file("a", "1.0.0", "x"));
        try (LocalRegistry registry = LocalRegistry.builder(dir).readOnly(true).build()) {
            assertEquals(List.of(new VersionInfo("1.0.0", null, null, null)), registry.versions("a"));
            assertEquals(Map.of("latest", "1.0.0"), registry.labels("a"));
            registry.stats();
            registry.backup(elsewhere.resolve("copy"));
        }
        try (Stream<Path> names = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("a.yaml")), names.collect(Collectors.toList()));
        }
    }
}
