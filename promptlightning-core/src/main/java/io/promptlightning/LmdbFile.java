package io.promptlightning;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * The structure of an LMDB data file ({@code data.mdb}), read with plain positional reads, never through a memory
 * map: LMDB itself trusts its file, so a page number, a size or an offset damaged on disk makes its C code read
 * outside the map and the process dies of SIGSEGV or SIGBUS. Everything LMDB would follow is checked here first.
 *
 * <p>The layout is LMDB 0.9's, in the machine's byte order: pages 0 and 1 are meta pages (the newer transaction
 * wins), each naming the root pages of the free-page database and of the main database, whose leaf nodes hold the
 * named databases. Every page starts with its own page number, its flags and the bounds of its free space; a
 * branch or leaf page then has an array of 16-bit node offsets, and each node is a 8-byte header (data size or
 * child page, flags, key size), the key, and the data, or the number of the first of the overflow pages holding it.
 */
final class LmdbFile {
    static final String DATA_FILE = "data.mdb";

    private static final int MAGIC = 0xBEEFC0DE;
    private static final int DATA_VERSION = 1;
    private static final int PAGE_HEADER = 16;
    private static final int NODE_HEADER = 8;
    private static final int DB_RECORD = 48;
    private static final int META_OFFSET = PAGE_HEADER;
    private static final long NO_PAGE = -1L; // P_INVALID: an empty database's root

    private static final int P_BRANCH = 0x01;
    private static final int P_LEAF = 0x02;
    private static final int P_OVERFLOW = 0x04;
    private static final int P_META = 0x08;
    private static final int P_LEAF2 = 0x20;
    private static final int PAGE_KINDS = P_BRANCH | P_LEAF | P_OVERFLOW | P_META | P_LEAF2;

    private static final int F_BIGDATA = 0x01;
    private static final int F_SUBDATA = 0x02;
    private static final int F_DUPDATA = 0x04;

    private static final int MDB_REVERSEKEY = 0x02;
    private static final int MDB_DUPSORT = 0x04;
    private static final int MDB_INTEGERKEY = 0x08;

    /** Problems reported before a walk gives up: the first ones are what a user needs. */
    private static final int MAX_PROBLEMS = 20;

    private LmdbFile() {
    }

    /** The file is not a sound LMDB database; the message says what is wrong and what to do. */
    static final class DamagedException extends Exception {
        private static final long serialVersionUID = 1L;

        DamagedException(String message) {
            super(message);
        }
    }

    /** One of the databases (B-trees) of a meta page or of the main database. */
    record Tree(int flags, int depth, long branchPages, long leafPages, long overflowPages, long entries, long root) {
        static Tree read(ByteBuffer page, int at) {
            return new Tree(Short.toUnsignedInt(page.getShort(at + 4)), Short.toUnsignedInt(page.getShort(at + 6)),
                    page.getLong(at + 8), page.getLong(at + 16), page.getLong(at + 24), page.getLong(at + 32),
                    page.getLong(at + 40));
        }
    }

    /** The meta page a snapshot starts from. */
    record Meta(int pageSize, long mapSize, Tree free, Tree main, long lastPage, long txnId) {
        long requiredBytes() {
            return (lastPage + 1) * pageSize;
        }
    }

    /**
     * The newer of the two meta pages, after checking that both are meta pages of this LMDB format and that the
     * file holds every page the newer one declares.
     *
     * @throws DamagedException saying what is wrong: the file is empty, truncated, or not an LMDB file of this
     *                          version
     */
    static Meta checkHeader(Path dataFile) throws DamagedException, IOException {
        try (FileChannel channel = FileChannel.open(dataFile, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size == 0) {
                throw new DamagedException("the database file is empty (0 bytes); restore it from a backup, or"
                        + " remove the directory to start a new, empty database");
            }
            Meta first = readMeta(channel, 0, size, 0);
            Meta second = readMeta(channel, first.pageSize(), size, 1);
            Meta newest = second.txnId() > first.txnId() ? second : first;
            if (size < newest.requiredBytes()) {
                throw new DamagedException("the database file is truncated: " + size + " bytes, expected at least "
                        + newest.requiredBytes() + "; restore it from a backup");
            }
            return newest;
        }
    }

    private static Meta readMeta(FileChannel channel, long offset, long size, int number)
            throws DamagedException, IOException {
        int needed = META_OFFSET + 136;
        if (size < offset + needed) {
            throw new DamagedException("the database file is truncated: " + size + " bytes, too short to hold meta"
                    + " page " + number + "; restore it from a backup");
        }
        ByteBuffer page = read(channel, offset, needed);
        int flags = Short.toUnsignedInt(page.getShort(10));
        if ((flags & P_META) == 0 || page.getInt(META_OFFSET) != MAGIC) {
            throw new DamagedException("not an LMDB database file, or its meta page " + number + " is damaged;"
                    + " restore it from a backup");
        }
        int version = page.getInt(META_OFFSET + 4);
        if (version != DATA_VERSION) {
            throw new DamagedException("an LMDB file of format version " + version + " (this program reads version "
                    + DATA_VERSION + "), or its meta page " + number + " is damaged");
        }
        Tree free = Tree.read(page, META_OFFSET + 24);
        Tree main = Tree.read(page, META_OFFSET + 24 + DB_RECORD);
        int pageSize = page.getInt(META_OFFSET + 24); // the free-page database's md_pad holds the page size
        if (pageSize < 512 || pageSize > 65536 || Integer.bitCount(pageSize) != 1) {
            throw new DamagedException("meta page " + number + " declares a page size of " + pageSize
                    + " bytes, which LMDB never uses: the file is damaged; restore it from a backup");
        }
        long lastPage = page.getLong(META_OFFSET + 24 + 2 * DB_RECORD);
        long txnId = page.getLong(META_OFFSET + 24 + 2 * DB_RECORD + 8);
        long mapSize = page.getLong(META_OFFSET + 16);
        if (lastPage < 1 || lastPage > Long.MAX_VALUE / pageSize - 1) {
            throw new DamagedException("meta page " + number + " declares " + lastPage + " as its last page: the"
                    + " file is damaged; restore it from a backup");
        }
        return new Meta(pageSize, mapSize, free, main, lastPage, txnId);
    }

    /**
     * The meta page of the snapshot {@code txnId}, or null when neither meta page holds it any more (a writer has
     * committed twice since): the caller takes a newer snapshot and asks again.
     */
    static Meta metaOf(Path dataFile, long txnId) throws DamagedException, IOException {
        try (FileChannel channel = FileChannel.open(dataFile, StandardOpenOption.READ)) {
            long size = channel.size();
            Meta first = readMeta(channel, 0, size, 0);
            if (first.txnId() == txnId) {
                return first;
            }
            Meta second = readMeta(channel, first.pageSize(), size, 1);
            return second.txnId() == txnId ? second : null;
        }
    }

    /**
     * Checks every page reachable from {@code meta}: the free-page database, the main database and each named
     * database in it, down to the first page of every overflow run. The snapshot must stay pinned by a read
     * transaction while this runs, so that no page of it is reused.
     *
     * @return what is wrong, each problem a sentence; empty when the structure is sound
     */
    static List<String> walk(Path dataFile, Meta meta, int maxKeySize) throws IOException {
        try (FileChannel channel = FileChannel.open(dataFile, StandardOpenOption.READ)) {
            // mapped, the walk makes no system call per page; only pages below the size checked are read
            ByteBuffer map = meta.requiredBytes() <= Integer.MAX_VALUE
                    ? channel.map(FileChannel.MapMode.READ_ONLY, 0, meta.requiredBytes()) : null;
            Walk walk = new Walk(channel, map, meta, maxKeySize);
            walk.tree("the free-page database", meta.free(), true, false);
            if (walk.problems.isEmpty()) {
                walk.tree("the main database", meta.main(), false, true);
            }
            return walk.problems;
        }
    }

    private static ByteBuffer read(FileChannel channel, long offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, offset + buffer.position()) < 0) {
                throw new EOFException("end of file at " + (offset + buffer.position()));
            }
        }
        return buffer.flip();
    }

    /** One walk of a snapshot, collecting problems. */
    private static final class Walk {
        private final FileChannel channel;
        /** The file's pages, or null to read them one by one. */
        private final ByteBuffer map;
        private final Meta meta;
        private final int pageSize;
        private final int maxKeySize;
        private final BitSet used = new BitSet();
        final List<String> problems = new ArrayList<>();

        Walk(FileChannel channel, ByteBuffer map, Meta meta, int maxKeySize) {
            this.channel = channel;
            this.map = map;
            this.meta = meta;
            this.pageSize = meta.pageSize();
            this.maxKeySize = maxKeySize;
        }

        /** {@code length} bytes at {@code offset}, all within the pages the meta page declares. */
        private ByteBuffer read(long offset, int length) throws IOException {
            if (map == null) {
                return LmdbFile.read(channel, offset, length);
            }
            return map.slice((int) offset, length).order(ByteOrder.nativeOrder());
        }

        private boolean full() {
            return problems.size() >= MAX_PROBLEMS;
        }

        private void problem(String text) {
            if (!full()) {
                problems.add(text);
            }
        }

        /** Counts of one tree's pages and entries, compared at the end with what its record declares. */
        private static final class Counts {
            long branch;
            long leaf;
            long overflow;
            long entries;
        }

        void tree(String name, Tree tree, boolean freePages, boolean named) throws IOException {
            if (tree.root() == NO_PAGE) {
                if (tree.entries() != 0 || tree.depth() != 0) {
                    problem(name + " has no root page but declares " + tree.entries() + " entries");
                }
                return;
            }
            if (tree.depth() < 1 || tree.depth() > 64) {
                problem(name + " declares a depth of " + tree.depth());
                return;
            }
            if ((tree.flags() & MDB_DUPSORT) != 0) {
                problem(name + " keeps duplicate keys, which this program never writes; it cannot be checked");
                return;
            }
            Counts counts = new Counts();
            page(name, tree, tree.root(), tree.depth(), counts, freePages, named);
            if (full()) {
                return;
            }
            if (counts.entries != tree.entries()) {
                problem(name + " declares " + tree.entries() + " entries but holds " + counts.entries);
            }
            if (counts.branch != tree.branchPages() || counts.leaf != tree.leafPages()
                    || counts.overflow != tree.overflowPages()) {
                problem(name + " declares " + tree.branchPages() + " branch, " + tree.leafPages() + " leaf and "
                        + tree.overflowPages() + " overflow pages but uses " + counts.branch + ", " + counts.leaf
                        + " and " + counts.overflow);
            }
        }

        private boolean claim(String name, long pgno, long count) {
            if (pgno < 2 || pgno > meta.lastPage() || count < 1 || count - 1 > meta.lastPage() - pgno) {
                problem(name + " refers to page " + pgno + (count > 1 ? " (and " + (count - 1) + " more)" : "")
                        + ", beyond the last page " + meta.lastPage());
                return false;
            }
            int from = (int) pgno;
            int to = (int) (pgno + count);
            if (used.get(from, to).cardinality() != 0) {
                problem(name + " refers to page " + pgno + ", which another part of the database also uses");
                return false;
            }
            used.set(from, to);
            return true;
        }

        private void page(String name, Tree tree, long pgno, int levels, Counts counts, boolean freePages,
                boolean named) throws IOException {
            if (full() || !claim(name, pgno, 1)) {
                return;
            }
            ByteBuffer page = read(pgno * pageSize, pageSize);
            if (page.getLong(0) != pgno) {
                problem(name + ": page " + pgno + " says it is page " + page.getLong(0));
                return;
            }
            int kind = Short.toUnsignedInt(page.getShort(10)) & PAGE_KINDS;
            int expected = levels > 1 ? P_BRANCH : P_LEAF;
            if (kind != expected) {
                problem(name + ": page " + pgno + " should be a " + (levels > 1 ? "branch" : "leaf")
                        + " page but its flags are 0x" + Integer.toHexString(kind));
                return;
            }
            if (levels > 1) {
                counts.branch++;
            } else {
                counts.leaf++;
            }
            int lower = Short.toUnsignedInt(page.getShort(12));
            int upper = Short.toUnsignedInt(page.getShort(14));
            if (lower < PAGE_HEADER || lower > upper || upper > pageSize || (lower - PAGE_HEADER) % 2 != 0) {
                problem(name + ": page " + pgno + " has impossible bounds " + lower + ".." + upper);
                return;
            }
            int nodes = (lower - PAGE_HEADER) / 2;
            if (nodes == 0) {
                problem(name + ": page " + pgno + " is empty");
                return;
            }
            byte[] previous = null;
            for (int i = 0; i < nodes && !full(); i++) {
                int offset = Short.toUnsignedInt(page.getShort(PAGE_HEADER + 2 * i));
                if (offset < upper || offset + NODE_HEADER > pageSize) {
                    problem(name + ": page " + pgno + " has node " + i + " at offset " + offset
                            + ", outside its nodes' area " + upper + ".." + pageSize);
                    return;
                }
                int lo = Short.toUnsignedInt(page.getShort(offset));
                int hi = Short.toUnsignedInt(page.getShort(offset + 2));
                int flags = Short.toUnsignedInt(page.getShort(offset + 4));
                int keySize = Short.toUnsignedInt(page.getShort(offset + 6));
                int keyAt = offset + NODE_HEADER;
                if (keySize > maxKeySize || keyAt + keySize > pageSize) {
                    problem(name + ": page " + pgno + " has node " + i + " with a key of " + keySize
                            + " bytes, which does not fit");
                    return;
                }
                byte[] key = new byte[keySize];
                page.get(keyAt, key);
                if (levels > 1) { // a branch's first key is never compared: it stands for everything below the next
                    if (i > 1 && compare(tree, previous, key) >= 0) {
                        problem(name + ": page " + pgno + " has its keys out of order at node " + i);
                        return;
                    }
                    previous = key;
                    long child = lo | ((long) hi << 16) | ((long) flags << 32);
                    page(name, tree, child, levels - 1, counts, freePages, named);
                    continue;
                }
                if (previous != null && compare(tree, previous, key) >= 0) {
                    problem(name + ": page " + pgno + " has its keys out of order at node " + i);
                    return;
                }
                previous = key;
                counts.entries++;
                long dataSize = lo | ((long) hi << 16);
                int dataAt = keyAt + keySize;
                if ((flags & F_DUPDATA) != 0) {
                    problem(name + ": page " + pgno + " has a node with duplicate values, which this program"
                            + " never writes");
                    return;
                }
                ByteBuffer data;
                if ((flags & F_BIGDATA) != 0) {
                    if (dataAt + 8 > pageSize) {
                        problem(name + ": page " + pgno + " has node " + i + " cut off at the end of the page");
                        return;
                    }
                    data = overflow(name, page.getLong(dataAt), dataSize, counts, freePages);
                    if (data == null) {
                        return;
                    }
                } else {
                    if (dataAt + dataSize > pageSize) {
                        problem(name + ": page " + pgno + " has node " + i + " with " + dataSize
                                + " bytes of data, more than the page holds");
                        return;
                    }
                    data = page.slice(dataAt, (int) dataSize).order(ByteOrder.nativeOrder());
                }
                if ((flags & F_SUBDATA) != 0) {
                    String dbName = new String(key, StandardCharsets.UTF_8);
                    if (!named) {
                        problem(name + ": page " + pgno + " holds a named database, which only the main database"
                                + " may");
                        return;
                    }
                    if (data.remaining() != DB_RECORD) {
                        problem("the record of database '" + dbName + "' is " + data.remaining() + " bytes, not "
                                + DB_RECORD);
                        return;
                    }
                    tree("database '" + dbName + "'", Tree.read(data, data.position()), false, false);
                } else if (freePages) {
                    freeList(data);
                }
            }
        }

        /**
         * The first page of an overflow run, checked; its data when the caller needs it (the free-page lists),
         * else an empty buffer.
         */
        private ByteBuffer overflow(String name, long first, long dataSize, Counts counts, boolean needData)
                throws IOException {
            if (first < 2 || first > meta.lastPage()) {
                problem(name + " refers to overflow page " + first + ", beyond the last page " + meta.lastPage());
                return null;
            }
            ByteBuffer header = read(first * pageSize, PAGE_HEADER);
            int kind = Short.toUnsignedInt(header.getShort(10)) & PAGE_KINDS;
            long pages = Integer.toUnsignedLong(header.getInt(12));
            if (header.getLong(0) != first || kind != P_OVERFLOW) {
                problem(name + ": overflow page " + first + " is not an overflow page");
                return null;
            }
            if (PAGE_HEADER + dataSize > pages * pageSize) {
                problem(name + ": overflow page " + first + " holds " + pages + " pages, too few for " + dataSize
                        + " bytes");
                return null;
            }
            if (!claim(name, first, pages)) {
                return null;
            }
            counts.overflow += pages;
            if (!needData) {
                return ByteBuffer.allocate(0);
            }
            return read(first * pageSize + PAGE_HEADER, (int) dataSize);
        }

        /** A free-page list: its count, then that many page numbers, each a page not in use. */
        private void freeList(ByteBuffer list) {
            if (list.remaining() < 8) {
                problem("the free-page database has a list of " + list.remaining() + " bytes");
                return;
            }
            long count = list.getLong(list.position());
            if (count < 0 || count > list.remaining() / 8 - 1) {
                problem("the free-page database has a list declaring " + count + " pages in "
                        + list.remaining() + " bytes");
                return;
            }
            for (int i = 1; i <= count; i++) {
                long pgno = list.getLong(list.position() + 8 * i);
                if (pgno < 2 || pgno > meta.lastPage()) {
                    problem("the free-page database lists page " + pgno + ", beyond the last page "
                            + meta.lastPage());
                    return;
                }
            }
        }

        private int compare(Tree tree, byte[] a, byte[] b) {
            if ((tree.flags() & MDB_INTEGERKEY) != 0 && a.length == b.length && (a.length == 4 || a.length == 8)) {
                ByteBuffer x = ByteBuffer.wrap(a).order(ByteOrder.nativeOrder());
                ByteBuffer y = ByteBuffer.wrap(b).order(ByteOrder.nativeOrder());
                return a.length == 8 ? Long.compareUnsigned(x.getLong(), y.getLong())
                        : Integer.compareUnsigned(x.getInt(), y.getInt());
            }
            if ((tree.flags() & MDB_REVERSEKEY) != 0) {
                return Arrays.compareUnsigned(reversed(a), reversed(b));
            }
            return Arrays.compareUnsigned(a, b);
        }

        private static byte[] reversed(byte[] a) {
            byte[] r = new byte[a.length];
            for (int i = 0; i < a.length; i++) {
                r[i] = a[a.length - 1 - i];
            }
            return r;
        }
    }
}
