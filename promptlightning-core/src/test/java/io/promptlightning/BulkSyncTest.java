package io.promptlightning;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BulkSyncTest {
    @TempDir
    Path dir;

    private List<Path> writeFiles(int count) throws IOException {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Path sub = Files.createDirectories(dir.resolve("d" + (i % 7)));
            files.add(Files.writeString(sub.resolve("f" + i + ".yaml"), "n: " + i + "\n"));
        }
        return files;
    }

    @Test
    void manyFilesInSeveralDirectoriesAreFlushedTogether() throws IOException {
        List<Path> files = writeFiles(2 * BulkSync.THRESHOLD);
        BulkSync.flush(files, List.of(dir));
    }

    @Test
    void syncingOneByOneCoversFewAndManyPaths() throws IOException {
        BulkSync.syncEach(writeFiles(3), List.of(dir));
        BulkSync.syncEach(writeFiles(2 * BulkSync.THRESHOLD), List.of(dir));
    }

    @Test
    void aFileThatCannotBeSyncedFailsNamingIt() throws IOException {
        List<Path> files = writeFiles(2 * BulkSync.THRESHOLD);
        Path gone = files.get(BulkSync.THRESHOLD);
        Files.delete(gone);
        IOException e = assertThrows(IOException.class, () -> BulkSync.syncEach(files, List.of(dir)));
        assertTrue(e.getMessage().contains(gone.toString()), e.getMessage());
        IOException few = assertThrows(IOException.class, () -> BulkSync.syncEach(List.of(gone), List.of()));
        assertTrue(few.getMessage().contains(gone.toString()), few.getMessage());
    }
}
