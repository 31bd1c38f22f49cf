package io.promptlightning;

import static io.promptlightning.LocalRegistryHistoryTest.file;
import static io.promptlightning.LocalRegistryHistoryTest.snapshot;
import static io.promptlightning.LocalRegistryHistoryTest.spec;
import static io.promptlightning.LocalRegistryHistoryTest.unsavedEditMessage;
import static io.promptlightning.LocalRegistryTest.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LocalRegistry#verify}: a prompt directory made by the registry, then damaged as a crash, a careless hand or
 * a bad merge would, each damage found with its file, line and way out, and nothing changed by looking.
 */
class LocalRegistryVerifyTest {
    private static final String RESTORE = "; restore it from a backup or from version control";
    private static final String WHEN_OPENED = " when the prompt directory is next opened for writing (by any"
            + " promptlightning command in its project, or LocalRegistry.open)";

    @TempDir
    Path dir;

    private Path versions;

    /**
     * a: 1.0.0 and 1.1.0 saved, prod on 1.0.0; b: a file written by hand, never recorded; 2 templates, 3 versions.
     */
    @BeforeEach
    void sound() throws IOException {
        write(dir.resolve("team/b.yaml"), file("b", "2.0.0", "by hand"));
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            registry.save(spec("a", "1.0.0", "one"), SaveOptions.message("first"));
            registry.save(spec("a", "1.1.0", "two"));
            registry.moveLabel("a", "prod", "1.0.0", "release");
        }
        versions = history("a").resolve("versions");
    }

    private Path history(String id) {
        return dir.resolve(".promptlightning/templates").resolve(id);
    }

    /** The report, checked for what every report of this directory has; verifying changes nothing. */
    private VerifyReport verify() throws IOException {
        Map<String, String> before = snapshot(dir);
        VerifyReport report = LocalRegistry.verify(dir);
        assertEquals(before, snapshot(dir), "verify changes nothing");
        assertEquals("local", report.kind());
        assertEquals(dir.toAbsolutePath().normalize(), report.path());
        return report;
    }

    /** The report's only problem, which must be {@code expected}. */
    private VerifyReport onlyProblem(Problem expected) throws IOException {
        VerifyReport report = verify();
        assertEquals(List.of(expected), report.problems());
        assertFalse(report.ok());
        return report;
    }

    @Test
    void aSoundDirectoryHasNoProblem() throws IOException {
        VerifyReport report = verify();
        assertEquals(List.of(), report.problems());
        assertTrue(report.ok());
        assertEquals(2, report.templates());
        assertEquals(3, report.versions());
    }

    @Test
    void aDirectoryThatIsNotThereIsAnError() {
        RegistryException e = assertThrows(RegistryException.class, () -> LocalRegistry.verify(dir.resolve("nope")));
        assertEquals(dir.resolve("nope"), e.file());
    }

    // ---------------------------------------------------------------------------------------- template files

    @Test
    void aBrokenTemplateFileAndADuplicateIdAreReportedAsProblemsDoes() throws IOException {
        Path broken = write(dir.resolve("broken.yaml"), "id: broken\ntemplate: \"{{ oops(\"\n");
        Path twice = write(dir.resolve("z/again.yaml"), file("a", "9.0.0", "again"));
        VerifyReport report = verify();
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            assertEquals(registry.problems(), report.problems());
        }
        assertEquals(List.of(broken, twice), report.problems().stream().map(Problem::file).toList());
        assertEquals(2, report.templates(), "the broken file is not a readable template");
    }

    @Test
    void anUnsavedEditIsAProblem() throws IOException {
        Path edited = write(dir.resolve("a.yaml"), file("a", "1.1.0", "two, edited by hand"));
        onlyProblem(new Problem(edited, 0, "a", unsavedEditMessage("a", "1.1.0")));
    }

    @Test
    void aFileAtAVersionNeverRecordedIsNoProblem() throws IOException {
        write(dir.resolve("a.yaml"), file("a", "1.2.0", "three, not saved yet"));
        VerifyReport report = verify();
        assertEquals(List.of(), report.problems());
        assertEquals(4, report.versions());
    }

    // --------------------------------------------------------------------------------------- recorded versions

    @Test
    void aTruncatedVersionFileIsReportedWithItsLine() throws IOException {
        Path recorded = versions.resolve("1.0.0.yaml");
        String text = Files.readString(recorded);
        Files.writeString(recorded, text.substring(0, text.indexOf("  at: ") + "  at: '20".length()));
        VerifyReport report = onlyProblem(new Problem(recorded, 5, "a", "invalid YAML: while scanning a quoted scalar,"
                + " found unexpected end of stream" + RESTORE));
        assertEquals(2, report.versions(), "the damaged version is not counted");
    }

    @Test
    void aVersionFileHoldingAnotherVersionIsReported() throws IOException {
        Path recorded = versions.resolve("1.0.0.yaml");
        Files.writeString(recorded, Files.readString(versions.resolve("1.1.0.yaml")));
        onlyProblem(new Problem(recorded, 1, "a", "the recorded version holds a 1.1.0, not 1.0.0" + RESTORE));
    }

    @Test
    void aVersionFileWithABadSavedEntryIsReported() throws IOException {
        Path recorded = versions.resolve("1.1.0.yaml");
        Files.writeString(recorded, file("a", "1.1.0", "two") + "saved: yesterday\n");
        onlyProblem(new Problem(recorded, 0, "a", "'saved' must be a mapping {at, by, message}" + RESTORE));
    }

    @Test
    void aFileInTheVersionsDirectoryWhoseNameIsNotAVersionIsReported() throws IOException {
        Path stray = write(versions.resolve("latest.yaml"), file("a", "1.1.0", "two"));
        write(versions.resolve(".DS_Store"), "not ours, not a template");
        onlyProblem(new Problem(stray, 0, "a", "not a recorded version: the file name is not a version"
                + " (VERSION.yaml), so the registry ignores this file; rename or remove it"));
    }

    @Test
    void aDeletedVersionThatALabelPointsAtIsReportedAtTheLabel() throws IOException {
        Files.delete(versions.resolve("1.0.0.yaml"));
        VerifyReport report = onlyProblem(new Problem(history("a").resolve("labels.yaml"), 1, "a", "the label 'prod'"
                + " points at version 1.0.0, which is not recorded; restore the version's file from a backup or from"
                + " version control, or move the label to a recorded version"));
        assertEquals(2, report.versions());
    }

    @Test
    void aLabelOnAVersionOnlyTheTemplateFileHoldsIsReported() throws IOException {
        Files.delete(versions.resolve("1.1.0.yaml"));
        write(history("a").resolve("labels.yaml"), "beta: 1.1.0\nprod: 1.0.0\n");
        onlyProblem(new Problem(history("a").resolve("labels.yaml"), 1, "a", "the label 'beta' points at version"
                + " 1.1.0, which is not recorded (only the template file holds it, and the label loses it when the file"
                + " moves on); save the template file to record it"));
    }

    @Test
    void versionsRecordedForAnIdNoFileDeclaresAreReported() throws IOException {
        Files.delete(dir.resolve("a.yaml"));
        VerifyReport report = onlyProblem(new Problem(history("a"), 0, "a", "2 versions are recorded for this"
                + " template, with labels, but no template file declares its id (the file was deleted, or its id"
                + " changed, by hand), so none can be loaded; restore its file from a backup or from version control,"
                + " or remove this directory to forget them"));
        assertEquals(1, report.templates());
        assertEquals(3, report.versions(), "the recorded versions are readable still");
    }

    @Test
    void theLabelHistoryOfADeletedTemplateIsNoProblem() throws IOException {
        try (LocalRegistry registry = LocalRegistry.open(dir)) {
            registry.moveLabel("a", "prod", "1.1.0", null);
            registry.deleteVersion("a", "1.0.0");
            registry.delete("a");
        }
        assertTrue(Files.exists(history("a").resolve("label-history.yaml")));
        VerifyReport report = verify();
        assertEquals(List.of(), report.problems());
        assertEquals(1, report.templates());
    }

    // ------------------------------------------------------------------------------------ labels and history

    @Test
    void garbageInTheLabelsFileIsReported() throws IOException {
        Path labels = history("a").resolve("labels.yaml");
        Files.writeString(labels, "prod: 1.0.0\n- beta\n");
        onlyProblem(new Problem(labels, 2, "a", "invalid YAML: while parsing a block mapping, expected <block end>, but"
                + " found '-'" + RESTORE));
    }

    @Test
    void garbageInTheLabelHistoryIsReportedWithItsLine() throws IOException {
        Path labelHistory = history("a").resolve("label-history.yaml");
        List<String> lines = Files.readAllLines(labelHistory);
        Files.writeString(labelHistory, lines.get(0) + "\n" + lines.get(1) + "\n- {label: prod, from: null, to: 1.0.0,"
                + " at: last tuesday}\n");
        onlyProblem(new Problem(labelHistory, 3, "a", "'at' must be a UTC time such as 2024-05-01T09:30:00Z, found"
                + " last tuesday" + RESTORE + " (versions and labels do not depend on it)"));
    }

    @Test
    void aLabelHistoryThatIsNotYamlIsReported() throws IOException {
        Path labelHistory = history("a").resolve("label-history.yaml");
        Files.write(labelHistory, new byte[] {'-', ' ', '{', 0, 0, 0});
        VerifyReport report = verify();
        assertEquals(1, report.problems().size(), report.problems()::toString);
        Problem problem = report.problems().get(0);
        assertEquals(labelHistory, problem.file());
        assertEquals("a", problem.templateId());
        assertTrue(problem.message().startsWith("invalid YAML: "), problem::toString);
        assertTrue(problem.message().endsWith(RESTORE + " (versions and labels do not depend on it)"),
                problem::toString);
    }

    // -------------------------------------------------------------------------------- what crashes leave behind

    private FileJournal journal() {
        return new LocalHistory(dir).journal();
    }

    private Path journalDir() {
        return dir.resolve(".promptlightning/journal");
    }

    /** A write of a new text of a.yaml, staged: its manifest and the temporary file beside a.yaml. */
    private FileJournal.Staged stagedWrite() {
        FileJournal.Changes changes = new FileJournal.Changes();
        changes.write(dir.resolve("a.yaml"), file("a", "1.1.0", "two"));
        return journal().stage(changes);
    }

    private Path onlyJournalFile() throws IOException {
        try (var files = Files.list(journalDir())) {
            List<Path> all = files.toList();
            assertEquals(1, all.size(), all::toString);
            return all.get(0);
        }
    }

    @Test
    void aCommittedWriteNotCompletedIsReportedWithItsWayOutAndOpeningForWritingCompletesIt() throws IOException {
        String before = Files.readString(dir.resolve("a.yaml"));
        stagedWrite().commit();
        Path manifest = onlyJournalFile();
        assertTrue(manifest.getFileName().toString().endsWith(".committed"));
        onlyProblem(new Problem(manifest, 0, null, "a write was committed but not completed (the process making it"
                + " stopped); it is completed" + WHEN_OPENED));
        assertEquals(before, Files.readString(dir.resolve("a.yaml")), "verify does not complete it");

        LocalRegistry.open(dir).close();
        assertEquals(file("a", "1.1.0", "two"), Files.readString(dir.resolve("a.yaml")));
        assertEquals(List.of(), verify().problems());
    }

    @Test
    void aWriteNeverCommittedIsReportedOnceWithItsTemporaryFile() throws IOException {
        stagedWrite();
        Path manifest = onlyJournalFile();
        assertTrue(manifest.getFileName().toString().endsWith(".staged"));
        onlyProblem(new Problem(manifest, 0, null, "a write was started but never committed (the process making it"
                + " stopped); it changed nothing, and it is removed" + WHEN_OPENED));

        LocalRegistry.open(dir).close();
        assertEquals(List.of(), verify().problems(), "the temporary file went with the write");
    }

    @Test
    void aCommittedWriteWhoseRecordIsDamagedIsReported() throws IOException {
        Path manifest = write(journalDir().resolve(UUID.randomUUID() + ".committed"), "- {op: write}\n");
        onlyProblem(new Problem(manifest, 0, null, "a write was committed but cannot be completed: the journal is"
                + " damaged: a step without a path; until this file is gone every write is refused: restore the prompt"
                + " directory from a backup, or delete this file to give the write up (files it may have replaced"
                + " already keep their new content)"));
    }

    @Test
    void aFileInTheJournalThatNoWriteMadeIsReported() throws IOException {
        Path junk = write(journalDir().resolve("notes.txt"), "mine");
        onlyProblem(new Problem(junk, 0, null, "not a file of any write; it is removed" + WHEN_OPENED));
    }

    @Test
    void aTemporaryFileNoWriteRefersToIsReported() throws IOException {
        Path beside = write(FileJournal.temporaryFile(dir.resolve("team/b.yaml")), "half a templ");
        Path inHistory = write(FileJournal.temporaryFile(versions.resolve("1.0.0.yaml")), "");
        write(dir.resolve(".notes.tmp"), "a user's own file, named otherwise");
        VerifyReport report = verify();
        String message = "a temporary file left by a write that stopped; no unfinished write refers to it, so it can"
                + " be deleted";
        assertEquals(List.of(new Problem(inHistory, 0, null, message), new Problem(beside, 0, null, message)),
                report.problems());
    }

    /**
     * A write in progress looks like a leftover to a reader without the lock: what looked wrong is looked at again
     * once the writer is done, and is gone then.
     */
    @Test
    void aWriteInProgressIsNotReportedOnceItEnds() throws Exception {
        LocalHistory history = new LocalHistory(dir);
        AtomicReference<VerifyReport> report = new AtomicReference<>();
        Thread verifying;
        try (DirectoryLock writing = history.lock(null, null)) {
            FileJournal.Staged staged = stagedWrite();
            verifying = new Thread(() -> report.set(LocalRegistry.verify(dir)), "verify under test");
            verifying.start();
            // it reads without the lock, then waits for the lock to look again at what it found
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (verifying.getState() != Thread.State.WAITING) {
                if (System.nanoTime() > deadline || !verifying.isAlive()) {
                    fail("verify did not wait for the write in progress: " + verifying.getState());
                }
                Thread.sleep(5);
            }
            staged.commit();
            staged.apply();
            staged.finish();
        }
        verifying.join();
        assertEquals(List.of(), report.get().problems());
    }
}
