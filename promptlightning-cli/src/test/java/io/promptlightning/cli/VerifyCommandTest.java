package io.promptlightning.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyCommandTest {
    @TempDir
    Path tmp;

    private Cli cli(Cli.Kind kind) throws Exception {
        Path project = tmp.resolve("project");
        Cli.project(project, kind);
        return new Cli(project, tmp.resolve("home"));
    }

    @Test
    void aSoundLmdbDatabaseIsExitZeroWithItsCounts() throws Exception {
        Cli cli = cli(Cli.Kind.LMDB);
        Cli.Result r = cli.run("verify");
        assertEquals(0, r.code(), r::toString);
        assertEquals("ok: lmdb registry templates.lmdb: 10 templates, 10 versions, no problems\n", r.out());
        assertEquals("", r.err());
    }

    @Test
    void aSoundPromptDirectoryIsExitZero() throws Exception {
        Cli cli = cli(Cli.Kind.LOCAL);
        Cli.Result r = cli.run("verify");
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().startsWith("ok: local registry prompts: 10 templates"), r::toString);
    }

    @Test
    void aTruncatedDatabaseIsReportedWithTheWayOutAndExitOne() throws Exception {
        Cli cli = cli(Cli.Kind.LMDB);
        Path data = tmp.resolve("project/templates.lmdb/data.mdb");
        long size = Files.size(data);
        try (RandomAccessFile raf = new RandomAccessFile(data.toFile(), "rw")) {
            raf.setLength(size / 2);
        }
        Cli.Result r = cli.run("verify");
        assertEquals(1, r.code(), r::toString);
        assertTrue(r.out().startsWith("templates.lmdb/data.mdb: the database file is truncated: " + size / 2
                + " bytes, expected at least "), r::toString);
        assertTrue(r.out().contains("restore it from a backup"), r::toString);
        assertEquals("error: 1 problem in templates.lmdb\n", r.err());
        assertEquals(size / 2, Files.size(data), "verify changes nothing");

        Cli.Result json = cli.run("verify", "--json");
        assertEquals(1, json.code(), json::toString);
        JsonNode report = new ObjectMapper().readTree(json.out());
        assertEquals("lmdb", report.get("registry").asText());
        assertEquals(false, report.get("ok").asBoolean());
        assertEquals(1, report.get("problems").size());
        assertEquals("templates.lmdb/data.mdb", report.get("problems").get(0).get("file").asText());
    }
}
