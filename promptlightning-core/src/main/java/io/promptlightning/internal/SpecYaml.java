package io.promptlightning.internal;

import io.promptlightning.Ids;
import io.promptlightning.TemplateSpec;
import io.promptlightning.ValidationException;
import io.promptlightning.jinja.PythonValues;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.representer.Represent;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Template files: one template per YAML file, in the original library's format, read with YAML 1.1 semantics
 * (as PyYAML reads them, so {@code yes}/{@code no} stay booleans) and written so that both this reader and the
 * original's read the file back to the same template.
 *
 * <p>Files are composed into nodes before they are converted, so that every problem can name the line a user
 * has to fix; the conversion itself is {@link SpecRecords}, shared with the LMDB registry, so both stores accept
 * exactly the same templates. Prompt directories may hold files from anywhere, so reading is bounded: file size,
 * nesting depth, aliases, and the size a document reaches once its aliases are expanded.
 */
public final class SpecYaml {
    /**
     * The system property that sets the largest template file read, {@value}: bytes or a size such as
     * {@code 64MiB}. A config's {@code max_file_size} can raise it (see {@link #allowFilesUpTo}).
     */
    public static final String MAX_FILE_SIZE_PROPERTY = "promptlightning.maxFileSize";
    /**
     * The largest template file read unless raised: far beyond any prompt (the original reads files of any size),
     * as much as a render may output (16 Mi characters), and a few such files still fit the command's heap.
     */
    public static final long DEFAULT_MAX_FILE_BYTES = 16L << 20;
    /** The highest limit that can be set: files are read whole into memory, and SnakeYAML counts in an int. */
    public static final long HIGHEST_MAX_FILE_BYTES = 1L << 30;
    /** Code points a document may hold beyond the file limit: room for what a version file adds to a template. */
    private static final int DOCUMENT_SLACK = 1 << 20;
    /** The largest {@code max_file_size} of the configs read by this process; 0 when none set one. */
    private static final AtomicLong configuredMaxFileBytes = new AtomicLong();
    /** Aliases to collections per document: enough for real reuse, far too few for a "billion laughs". */
    static final int MAX_ALIASES = 50;
    /** Depth of nested collections; real templates use three or four levels. */
    static final int MAX_NESTING = 50;
    /**
     * Nodes a document may reach with every alias expanded. {@link #MAX_ALIASES} alone does not bound this (a
     * chain of 25 two-alias lists expands to 2^25 items), and everything downstream copies values in full.
     */
    static final long MAX_EXPANDED_NODES = 200_000;

    private SpecYaml() {
    }

    /**
     * What one file holds: a template, or the reason it is not one.
     *
     * @param file   the file read (null when reading text that has no file)
     * @param id     the declared id when it is usable as an id, even if the rest of the file is broken, so that a
     *               registry can still answer a request for that id with the file's error; otherwise null
     * @param idLine 1-based line of the {@code id} key, or of the document when there is none
     * @param spec   the template, or null
     * @param error  the problem with its file and line, or null
     */
    public record Result(Path file, String id, int idLine, TemplateSpec spec, ValidationException error) {
        public boolean ok() {
            return spec != null;
        }

        /** @throws ValidationException the file's problem, with its file and line */
        public TemplateSpec specOrThrow() {
            if (error != null) {
                // a fresh exception per call: results are cached and shared, exceptions are mutable
                throw new ValidationException(error.detail(), error.templateId(), error.file(), error.line(), error);
            }
            return spec;
        }
    }

    /**
     * The largest template file read, in bytes: the system property {@value #MAX_FILE_SIZE_PROPERTY}, else
     * {@link #DEFAULT_MAX_FILE_BYTES}, or more when a config read by this process asks for more. Per process, since
     * template files are read by code that knows no config (a prompt directory, {@code validate}, {@code watch}).
     *
     * @throws ValidationException if the system property is set to something that is not a size up to
     *                             {@link #HIGHEST_MAX_FILE_BYTES}
     */
    public static long maxFileBytes() {
        long fromProperty = DEFAULT_MAX_FILE_BYTES;
        String property = System.getProperty(MAX_FILE_SIZE_PROPERTY);
        if (property != null) {
            fromProperty = checkedLimit(property, "the system property " + MAX_FILE_SIZE_PROPERTY);
        }
        return Math.max(fromProperty, configuredMaxFileBytes.get());
    }

    /**
     * The limit {@code text} sets (a size, at most {@link #HIGHEST_MAX_FILE_BYTES}).
     *
     * @param setting how messages name the setting, e.g. {@code 'max_file_size'}
     * @throws ValidationException naming the setting otherwise
     */
    public static long checkedLimit(String text, String setting) {
        long bytes;
        try {
            bytes = ByteSizes.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ValidationException(setting + " " + e.getMessage(), null);
        }
        if (bytes > HIGHEST_MAX_FILE_BYTES) {
            throw new ValidationException(setting + " must be at most " + ByteSizes.describe(HIGHEST_MAX_FILE_BYTES)
                    + ", not '" + text + "'", null);
        }
        return bytes;
    }

    /**
     * Raises the limit of {@link #maxFileBytes} to at least {@code bytes} for the rest of the process: what a
     * config's {@code max_file_size} does. It never lowers the limit, so that one project asking for more does
     * not make another's files unreadable.
     */
    public static void allowFilesUpTo(long bytes) {
        configuredMaxFileBytes.accumulateAndGet(Math.min(bytes, HIGHEST_MAX_FILE_BYTES), Math::max);
    }

    /** The code points a YAML document of ours may hold: a template file at the limit, and what a record adds. */
    public static int maxDocumentCodePoints() {
        return (int) Math.min(Integer.MAX_VALUE, maxFileBytes() + DOCUMENT_SLACK);
    }

    private static String raiseTheLimit(long limit) {
        return "template files are read up to " + limit + " bytes (" + ByteSizes.describe(limit) + "): raise the"
                + " limit with max_file_size in promptlightning.yaml or the system property " + MAX_FILE_SIZE_PROPERTY
                + " (e.g. -D" + MAX_FILE_SIZE_PROPERTY + "=" + ByteSizes.describe(2 * limit).replace(" ", "") + ")";
    }

    private static Result tooLarge(Path file, long size, String unit, long limit) {
        return failure(file, null, 1, "file too large: " + size + " " + unit + "; " + raiseTheLimit(limit), null);
    }

    /** Reads the template of {@code file}; never throws for a bad file, the result carries the problem. */
    public static Result parse(Path file) {
        long limit = maxFileBytes();
        byte[] bytes;
        try {
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
            if (!attrs.isRegularFile()) {
                return failure(file, null, 1, "not a regular file", null);
            }
            if (attrs.size() > limit) {
                return tooLarge(file, attrs.size(), "bytes", limit);
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return failure(file, null, 1, "file not found", e);
        } catch (AccessDeniedException e) {
            return failure(file, null, 1, "cannot read the file: permission denied", e);
        } catch (IOException e) {
            return failure(file, null, 1, "cannot read the file: " + e.getMessage(), e);
        }
        if (bytes.length > limit) {
            return tooLarge(file, bytes.length, "bytes", limit);
        }
        return parse(bytes, file);
    }

    /**
     * Reads a template from file content; {@code file} only names the source in errors and may be null. Content
     * is refused past {@link #maxDocumentCodePoints} (a little over the file limit, for the records of history).
     */
    public static Result parse(byte[] bytes, Path file) {
        int offset = 0;
        Charset charset = StandardCharsets.UTF_8;
        if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF) {
            offset = 3;
        } else if (bytes.length >= 2 && (bytes[0] & 0xFF) == 0xFF && (bytes[1] & 0xFF) == 0xFE) {
            offset = 2;
            charset = StandardCharsets.UTF_16LE;
        } else if (bytes.length >= 2 && (bytes[0] & 0xFF) == 0xFE && (bytes[1] & 0xFF) == 0xFF) {
            offset = 2;
            charset = StandardCharsets.UTF_16BE;
        }
        CharsetDecoder decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer out = CharBuffer.allocate(bytes.length - offset + 1);
        CoderResult result = decoder.decode(ByteBuffer.wrap(bytes, offset, bytes.length - offset), out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            return failure(file, null, lineAt(out.flip(), out.limit()), "the file is not valid "
                    + (charset == StandardCharsets.UTF_8 ? "UTF-8" : "UTF-16") + " text", null);
        }
        return parse(out.flip().toString(), file);
    }

    /** Reads a template from YAML text; {@code file} only names the source in errors and may be null. */
    public static Result parse(String text, Path file) {
        try {
            return parseText(text, file);
        } catch (RuntimeException e) {
            // a reader bug must not take a whole prompt directory down with it: it is this file's problem
            return failure(file, null, 1, "cannot read the template: " + e, e);
        }
    }

    private static Result parseText(String text, Path file) {
        int maxCodePoints = maxDocumentCodePoints();
        if (text.length() > maxCodePoints && text.codePointCount(0, text.length()) > maxCodePoints) {
            return tooLarge(file, text.codePointCount(0, text.length()), "characters", maxFileBytes());
        }
        LoaderOptions options = loaderOptions();
        Node root;
        try {
            root = new Yaml(new NodeConstructor(options), new Representer(new DumperOptions()), new DumperOptions(),
                    options, new Resolver()).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            return failure(file, null, line(e), "invalid YAML: " + describe(e), e);
        } catch (ReaderException e) {
            return failure(file, null, lineAtCodePoint(text, e.getPosition()), "invalid YAML: " + e.getMessage(), e);
        } catch (YAMLException e) {
            return failure(file, null, tooDeepLine(text), "invalid YAML: " + e.getMessage(), e);
        }
        if (root == null) {
            return failure(file, null, 1, "not a template: the file is empty", null);
        }
        try {
            checkExpandedSize(root, new IdentityHashMap<>(), 0);
        } catch (Blame b) {
            String id = plainId(root);
            int idLine = id == null ? b.line : line(tuples((MappingNode) root).get("id").getKeyNode());
            return new Result(file, id, idLine, null, new ValidationException(b.getMessage(), id, file, b.line, null));
        }
        Object data;
        try {
            data = new NodeConstructor(options).build(root);
        } catch (MarkedYAMLException e) {
            return failure(file, null, line(e), "invalid YAML: " + describe(e), e);
        } catch (YAMLException e) {
            return failure(file, null, line(root), "invalid YAML: " + e.getMessage(), e);
        }

        Map<String, NodeTuple> top = root instanceof MappingNode ? tuples((MappingNode) root) : Map.of();
        String id = null;
        int idLine = line(root);
        if (data instanceof Map && top.containsKey("id")) {
            idLine = line(top.get("id").getKeyNode());
            Object raw = ((Map<?, ?>) data).get("id");
            if (raw instanceof String && readable((String) raw)) {
                id = (String) raw;
            }
        }

        TemplateSpec spec;
        try {
            spec = SpecRecords.fromRecord(data, null);
        } catch (ValidationException e) {
            int at = data instanceof Map && root instanceof MappingNode
                    ? blame(asMap(data), (MappingNode) root, top, e.detail()) : line(root);
            return new Result(file, id, idLine, null, new ValidationException(e.detail(), id, file, at, e));
        }
        try {
            spec.compile();
        } catch (ValidationException e) {
            return new Result(file, id, idLine, null, new ValidationException(e.detail(), id, file,
                    templateLine(top.get("template"), e.line()), e));
        }
        return new Result(file, id, idLine, spec, null);
    }

    /**
     * SnakeYAML reports too deep nesting without a position; its event stream has positions and no depth limit of
     * its own (it holds one event at a time), so we find the line there. 1 when it is something else.
     */
    private static int tooDeepLine(String text) {
        int depth = 0;
        try {
            for (Event event : new Yaml(loaderOptions()).parse(new StringReader(text))) {
                if (event instanceof CollectionStartEvent) {
                    if (++depth > MAX_NESTING) {
                        return event.getStartMark() == null ? 1 : event.getStartMark().getLine() + 1;
                    }
                } else if (event instanceof CollectionEndEvent) {
                    depth--;
                }
            }
        } catch (YAMLException e) {
            return 1;
        }
        return 1;
    }

    /**
     * The id of a document rejected before conversion, read from its nodes, so a registry can still answer a
     * request for it with the error: only when there is exactly one {@code id} key and its value is plain text.
     */
    private static String plainId(Node root) {
        if (!(root instanceof MappingNode)) {
            return null;
        }
        String id = null;
        for (NodeTuple t : ((MappingNode) root).getValue()) {
            if (t.getKeyNode() instanceof ScalarNode && "id".equals(((ScalarNode) t.getKeyNode()).getValue())) {
                if (id != null || !(t.getValueNode() instanceof ScalarNode)
                        || !Tag.STR.equals(t.getValueNode().getTag())) {
                    return null;
                }
                id = ((ScalarNode) t.getValueNode()).getValue();
            }
        }
        return id == null || id.isEmpty() || !readable(id) ? null : id;
    }

    private static boolean readable(String id) {
        try {
            Ids.requireReadableId(id);
            return true;
        } catch (ValidationException e) {
            return false;
        }
    }

    private static Result failure(Path file, String id, int line, String message, Throwable cause) {
        return new Result(file, id, line, null, new ValidationException(message, id, file, line, cause));
    }

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setAllowRecursiveKeys(false);
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setNestingDepthLimit(MAX_NESTING);
        options.setCodePointLimit(maxDocumentCodePoints());
        options.setProcessComments(false);
        options.setWrappedToRootException(false);
        return options;
    }

    /** SnakeYAML's safe constructor, applied to a node tree we already hold (its marks give us the lines). */
    private static final class NodeConstructor extends SafeConstructor {
        NodeConstructor(LoaderOptions options) {
            super(options);
        }

        Object build(Node node) {
            return constructDocument(node);
        }
    }

    /** An error located at a line, used to leave the node walks early. */
    private static final class Blame extends Exception {
        private static final long serialVersionUID = 1L;
        final int line;

        Blame(String message, int line) {
            super(message, null, false, false);
            this.line = line;
        }
    }

    /** The node count of {@code node} with aliases expanded; rejects cycles (a value containing itself). */
    private static long checkExpandedSize(Node node, IdentityHashMap<Node, Long> sizes, long soFar) throws Blame {
        Long known = sizes.get(node);
        if (known != null) {
            if (known < 0) {
                throw new Blame("a value contains itself through an alias", line(node));
            }
            return known;
        }
        sizes.put(node, -1L);
        long size = 1;
        if (node instanceof SequenceNode) {
            for (Node child : ((SequenceNode) node).getValue()) {
                size += checkExpandedSize(child, sizes, soFar + size);
                tooLarge(soFar + size, node);
            }
        } else if (node instanceof MappingNode) {
            checkDuplicateKeys((MappingNode) node);
            for (NodeTuple t : ((MappingNode) node).getValue()) {
                size += checkExpandedSize(t.getKeyNode(), sizes, soFar + size);
                size += checkExpandedSize(t.getValueNode(), sizes, soFar + size);
                tooLarge(soFar + size, node);
            }
        }
        tooLarge(soFar + size, node);
        sizes.put(node, size);
        return size;
    }

    /**
     * PyYAML keeps the last of two equal keys; which one a user meant is a guess, so we refuse the file. SnakeYAML's
     * own check does not run on the path we construct through. Keys are compared by resolved tag and text, so
     * {@code 1} and {@code "1"} differ as they do in Python; merge keys ({@code <<}) are SnakeYAML's to resolve.
     */
    private static void checkDuplicateKeys(MappingNode node) throws Blame {
        Map<String, Node> seen = new java.util.HashMap<>();
        for (NodeTuple t : node.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode) || t.getKeyNode().getTag().equals(Tag.MERGE)) {
                continue;
            }
            ScalarNode key = (ScalarNode) t.getKeyNode();
            Node first = seen.putIfAbsent(key.getTag().getValue() + "\u0000" + key.getValue(), key);
            if (first != null) {
                throw new Blame("duplicate key " + key.getValue() + " (first at line " + line(first) + ")", line(key));
            }
        }
    }

    private static void tooLarge(long size, Node node) throws Blame {
        if (size > MAX_EXPANDED_NODES) {
            throw new Blame("the document is too large once its aliases are expanded (more than "
                    + MAX_EXPANDED_NODES + " values)", line(node));
        }
    }

    /** The 1-based line where a YAML node starts (1 when unknown). */
    public static int line(Node node) {
        return node.getStartMark() == null ? 1 : node.getStartMark().getLine() + 1;
    }

    /** The 1-based line a YAML error points at (1 when unknown). */
    public static int line(MarkedYAMLException e) {
        Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        return mark == null ? 1 : mark.getLine() + 1;
    }

    /** A YAML error in words, without snakeyaml's excerpt of the text. */
    public static String describe(MarkedYAMLException e) {
        String context = e.getContext();
        String problem = e.getProblem();
        if (context == null) {
            return problem == null ? e.getClass().getSimpleName() : problem;
        }
        return problem == null ? context : context + ", " + problem;
    }

    private static int lineAt(CharSequence text, int end) {
        int line = 1;
        for (int i = 0; i < end && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static int lineAtCodePoint(String text, int codePointIndex) {
        int end = codePointIndex <= 0 ? 0
                : text.offsetByCodePoints(0, Math.min(codePointIndex, text.codePointCount(0, text.length())));
        return lineAt(text, end);
    }

    /** The tuples of a mapping by their scalar keys (SnakeYAML has already merged {@code <<} keys into it). */
    private static Map<String, NodeTuple> tuples(MappingNode node) {
        Map<String, NodeTuple> out = new LinkedHashMap<>();
        for (NodeTuple t : node.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode) {
                out.putIfAbsent(((ScalarNode) t.getKeyNode()).getValue(), t);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> asMap(Object o) {
        return (Map<Object, Object>) o;
    }

    /**
     * The line of the part of a record that {@link SpecRecords} rejects with {@code detail}. Rather than repeat its
     * rules here (they must stay the one definition of a valid record), we take parts out of the record one by one
     * and watch whether the same error remains: the part whose removal changes the error is the culprit. This
     * runs only for broken files.
     */
    private static int blame(Map<Object, Object> record, MappingNode root, Map<String, NodeTuple> top,
            String detail) {
        for (String key : List.of("id", "template", "version", "description", "metadata", "inputs")) {
            Map<Object, Object> without = new LinkedHashMap<>(record);
            if (key.equals("id")) {
                without.put("id", "x");
            } else if (key.equals("template")) {
                without.put("template", "");
            } else if (record.containsKey(key)) {
                without.remove(key);
            } else {
                continue;
            }
            if (sameError(without, detail)) {
                continue;
            }
            NodeTuple tuple = top.get(key);
            if (tuple == null) {
                return line(root);
            }
            if (key.equals("inputs")) {
                return blameInput(record, tuple, detail);
            }
            return line(tuple.getKeyNode());
        }
        return line(root);
    }

    private static int blameInput(Map<Object, Object> record, NodeTuple inputsTuple, String detail) {
        int fallback = line(inputsTuple.getKeyNode());
        Object inputs = record.get("inputs");
        if (!(inputs instanceof Map) || !(inputsTuple.getValueNode() instanceof MappingNode)) {
            return fallback;
        }
        List<NodeTuple> inputNodes = ((MappingNode) inputsTuple.getValueNode()).getValue();
        List<Map.Entry<Object, Object>> entries = new ArrayList<>(asMap(inputs).entrySet());
        if (entries.size() != inputNodes.size()) {
            return fallback;
        }
        for (int i = 0; i < entries.size(); i++) {
            Map<Object, Object> fewer = new LinkedHashMap<>(asMap(inputs));
            fewer.remove(entries.get(i).getKey());
            Map<Object, Object> without = new LinkedHashMap<>(record);
            without.put("inputs", fewer);
            if (sameError(without, detail)) {
                continue;
            }
            NodeTuple inputTuple = inputNodes.get(i);
            Object declaration = entries.get(i).getValue();
            if (!(declaration instanceof Map) || !(inputTuple.getValueNode() instanceof MappingNode)) {
                return line(inputTuple.getKeyNode());
            }
            List<NodeTuple> fieldNodes = ((MappingNode) inputTuple.getValueNode()).getValue();
            List<Object> fieldKeys = new ArrayList<>(asMap(declaration).keySet());
            if (fieldKeys.size() != fieldNodes.size()) {
                return line(inputTuple.getKeyNode());
            }
            List<Integer> order = new ArrayList<>();
            for (String preferred : List.of("default", "enum", "type", "required")) {
                int at = fieldKeys.indexOf(preferred);
                if (at >= 0) {
                    order.add(at);
                }
            }
            for (int f = 0; f < fieldKeys.size(); f++) {
                if (!order.contains(f)) {
                    order.add(f);
                }
            }
            for (int f : order) {
                Map<Object, Object> field = new LinkedHashMap<>(asMap(declaration));
                field.remove(fieldKeys.get(f));
                Map<Object, Object> inputsWith = new LinkedHashMap<>(asMap(inputs));
                inputsWith.put(entries.get(i).getKey(), field);
                Map<Object, Object> changed = new LinkedHashMap<>(record);
                changed.put("inputs", inputsWith);
                if (!sameError(changed, detail)) {
                    return line(fieldNodes.get(f).getKeyNode());
                }
            }
            return line(inputTuple.getKeyNode());
        }
        return fallback;
    }

    private static boolean sameError(Map<Object, Object> record, String detail) {
        try {
            SpecRecords.fromRecord(record, null);
            return false;
        } catch (ValidationException e) {
            return detail.equals(e.detail());
        }
    }

    /**
     * The file line of line {@code templateLine} of the template text: exact for a literal block ({@code |}), whose
     * lines are the file's lines; otherwise the {@code template:} key's line, since folding and quoting move text
     * across lines.
     */
    private static int templateLine(NodeTuple tuple, int templateLine) {
        if (tuple == null) {
            return 1;
        }
        Node value = tuple.getValueNode();
        if (templateLine > 0 && value instanceof ScalarNode
                && ((ScalarNode) value).getScalarStyle() == DumperOptions.ScalarStyle.LITERAL) {
            return line(value) + templateLine;
        }
        return line(tuple.getKeyNode());
    }

    // ---------------------------------------------------------------------------------------------- writing

    /**
     * The file text of {@code spec}, in the original's layout (id, version, description, template, inputs,
     * metadata), with multi-line templates as literal blocks so that the file reads like the template. Nulls that
     * mean "absent" (no description, no default) and empty inputs or metadata are left out.
     */
    public static String write(TemplateSpec spec) {
        Map<String, Object> record = SpecRecords.toRecord(spec);
        if (record.get("description") == null) {
            record.remove("description");
        }
        Map<String, Object> inputs = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : asStringMap(record.get("inputs")).entrySet()) {
            Map<String, Object> declaration = new LinkedHashMap<>(asStringMap(e.getValue()));
            if (declaration.get("default") == null) {
                declaration.remove("default");
            }
            inputs.put(e.getKey(), declaration);
        }
        if (inputs.isEmpty()) {
            record.remove("inputs");
        } else {
            record.put("inputs", inputs);
        }
        if (spec.metadata().isEmpty()) {
            record.remove("metadata");
        }
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setAllowUnicode(true);
        options.setIndent(2);
        options.setSplitLines(false);
        options.setDereferenceAliases(true);
        options.setLineBreak(DumperOptions.LineBreak.UNIX);
        return new Yaml(new NodeConstructor(loaderOptions()), new FileRepresenter(options), options).dump(record);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asStringMap(Object o) {
        return (Map<String, Object>) o;
    }

    /**
     * Strings always as strings (SnakeYAML would write text with control characters as {@code !!binary}, which
     * reads back as bytes), multi-line text as a literal block, floats in Python's notation so that PyYAML reads
     * them back as floats.
     */
    private static final class FileRepresenter extends Representer {
        FileRepresenter(DumperOptions options) {
            super(options);
            this.representers.put(String.class, data -> {
                String s = (String) data;
                DumperOptions.ScalarStyle style = literalFits(s) ? DumperOptions.ScalarStyle.LITERAL
                        : lineBreakNeedsEscape(s) ? DumperOptions.ScalarStyle.DOUBLE_QUOTED
                        : DumperOptions.ScalarStyle.PLAIN; // plain where possible: the emitter quotes when needed
                return representScalar(Tag.STR, s, style);
            });
            Represent doubles = data -> representScalar(Tag.FLOAT, floatText(((Number) data).doubleValue()));
            this.representers.put(Double.class, doubles);
            this.representers.put(Float.class, doubles);
        }
    }

    /**
     * A literal block keeps text exactly only when its line breaks are plain {@code \n}: a reader turns
     * {@code \r}, {@code \r\n} and NEL into {@code \n}. SnakeYAML falls back to quoting on its own for the other
     * cases a block cannot hold (trailing spaces, control characters).
     */
    private static boolean literalFits(String s) {
        return s.indexOf('\n') >= 0 && !lineBreakNeedsEscape(s);
    }

    private static boolean lineBreakNeedsEscape(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                return true;
            }
        }
        return false;
    }

    private static String floatText(double d) {
        if (Double.isNaN(d)) {
            return ".nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? ".inf" : "-.inf";
        }
        String text = PythonValues.repr(d);
        int e = text.indexOf('e');
        if (e >= 0 && text.indexOf('.') < 0) {
            text = text.substring(0, e) + ".0" + text.substring(e);
        }
        return text;
    }
}
