package io.promptlightning.cli;

import io.promptlightning.Ids;
import io.promptlightning.LabelMove;
import io.promptlightning.Labels;
import io.promptlightning.SavedVersion;
import io.promptlightning.TemplateHistory;
import io.promptlightning.TemplateSpec;
import io.promptlightning.ValidationException;
import io.promptlightning.VersionInfo;
import io.promptlightning.Versions;
import io.promptlightning.internal.SpecRecords;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The export file's format: JSON lines, UTF-8, so that a reader can take one template at a time.
 *
 * <p>The first line is the header {@code {"format": "promptlightning-export", "format_version": 1, "exported_at":
 * ...}}. Every other line is one template: the record of its latest version exactly as the original library stores
 * it ({@code id, version, description, template, inputs, metadata}), so tools that only want the latest templates
 * read each line as a record, plus a {@code history} object:
 *
 * <pre>{@code
 * "history": {
 *   "versions": [{"version": "1.0.0", "saved_at": "2025-01-02T10:00:00Z", "author": "ada", "message": "first",
 *                 "record": {...the record of 1.0.0...}},
 *                {"version": "1.1.0", "saved_at": ..., "author": ..., "message": ...}],
 *   "labels": {"production": "1.0.0"},
 *   "label_history": [{"label": "latest", "from": null, "to": "1.0.0", "at": "...", "author": "ada",
 *                      "message": "first"}, ...]
 * }
 * }</pre>
 *
 * Versions are in semantic version order; the latest one's entry carries no {@code record}, since the line itself
 * is its record. Times are ISO-8601 UTC; {@code saved_at}, {@code author} and {@code message} are null where
 * unknown. {@code labels} leaves out {@code latest}, which always names the line's own version.
 *
 * <p>Reading is lenient where nothing is lost: a file without the header, and lines without {@code history}, are
 * read as plain records (each a template with one version and no labels), which is what {@code export} wrote before
 * the history was added.
 */
final class HistoryFile {
    static final String FORMAT = "promptlightning-export";
    static final int FORMAT_VERSION = 1;

    private HistoryFile() {
    }

    static String header(Instant exportedAt) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("format", FORMAT);
        header.put("format_version", FORMAT_VERSION);
        header.put("exported_at", exportedAt.toString());
        return Json.compact(header);
    }

    /** Whether a parsed first line is a header rather than a template. */
    static boolean isHeader(Map<String, Object> object) {
        return object.containsKey("format") || object.containsKey("format_version");
    }

    /** @throws IllegalArgumentException saying why the header is not one this version reads */
    static void checkHeader(Map<String, Object> header) {
        Object format = header.get("format");
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException("not a PromptLightning export: the header's \"format\" is "
                    + (format instanceof String ? "\"" + format + "\"" : Json.kind(format)) + ", not \"" + FORMAT
                    + "\"");
        }
        Object version = header.get("format_version");
        if (!(version instanceof Integer)) {
            throw new IllegalArgumentException("the header's \"format_version\" must be a whole number, found "
                    + Json.kind(version));
        }
        if ((Integer) version != FORMAT_VERSION) {
            throw new IllegalArgumentException("format_version " + version + " is not one this version of"
                    + " PromptLightning reads (it reads " + FORMAT_VERSION + ")"
                    + ((Integer) version > FORMAT_VERSION ? "; the file was written by a newer one" : ""));
        }
    }

    /** One template's line, without its line break. */
    static String line(TemplateHistory history) {
        Map<String, Object> line = SpecRecords.toRecord(history.latestSpec());
        List<Object> versions = new ArrayList<>();
        for (SavedVersion saved : history.versions()) {
            VersionInfo info = saved.info();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("version", info.version());
            entry.put("saved_at", info.savedAt() == null ? null : info.savedAt().toString());
            entry.put("author", info.author());
            entry.put("message", info.message());
            if (!info.version().equals(history.latest())) {
                entry.put("record", SpecRecords.toRecord(saved.spec()));
            }
            versions.add(entry);
        }
        List<Object> moves = new ArrayList<>();
        for (LabelMove move : history.labelHistory()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("label", move.label());
            entry.put("from", move.from());
            entry.put("to", move.to());
            entry.put("at", move.at() == null ? null : move.at().toString());
            entry.put("author", move.author());
            entry.put("message", move.message());
            moves.add(entry);
        }
        Map<String, Object> historyObject = new LinkedHashMap<>();
        historyObject.put("versions", versions);
        historyObject.put("labels", new TreeMap<>(history.labels()));
        historyObject.put("label_history", moves);
        line.put("history", historyObject);
        return Json.compact(line);
    }

    /**
     * The template a line holds.
     *
     * @throws ValidationException naming the template (when the line names one) and what is wrong
     */
    static TemplateHistory parse(Map<String, Object> line) {
        TemplateSpec latest = SpecRecords.fromRecord(line, null);
        String id = latest.id();
        Ids.requireReadableId(id);
        if (!line.containsKey("history")) {
            return new TemplateHistory(id, List.of(new SavedVersion(latest, new VersionInfo(latest.version(), null,
                    null, null))), latest.version(), Map.of(), List.of());
        }
        Map<String, Object> history = object(line.get("history"), "\"history\"", id);

        Map<String, SavedVersion> versions = new TreeMap<>(Versions.ORDER);
        for (Object item : list(history.get("versions"), "\"history.versions\"", id)) {
            Map<String, Object> entry = object(item, "each of \"history.versions\"", id);
            String version = Versions.require(text(entry, "version", false, "a version entry", id), id);
            String where = "version " + version;
            Instant savedAt = instant(entry, "saved_at", where, id);
            VersionInfo info = new VersionInfo(version, savedAt, text(entry, "author", true, where, id),
                    text(entry, "message", true, where, id));
            TemplateSpec spec;
            if (entry.get("record") == null) {
                if (!version.equals(latest.version())) {
                    throw new ValidationException(where + " has no \"record\" (only the latest version, "
                            + latest.version() + ", is the line itself)", id);
                }
                spec = latest;
            } else {
                spec = record(entry.get("record"), where, id);
                if (!spec.version().equals(version)) {
                    throw new ValidationException("the record of " + where + " says version " + spec.version(), id);
                }
                if (version.equals(latest.version()) && !spec.equals(latest)) {
                    throw new ValidationException(where + " is listed twice with different content: as the line's"
                            + " record and in \"history.versions\"", id);
                }
            }
            SavedVersion previous = versions.put(version, new SavedVersion(spec, info));
            if (previous != null) {
                throw new ValidationException(where + " is listed twice in \"history.versions\""
                        + (previous.spec().equals(spec) ? "" : " with different content"), id);
            }
        }
        if (!versions.containsKey(latest.version())) {
            throw new ValidationException("\"history.versions\" does not list the line's own version "
                    + latest.version(), id);
        }

        Map<String, String> labels = new TreeMap<>();
        Object labelsValue = history.get("labels");
        if (labelsValue != null) {
            for (Map.Entry<String, Object> e : object(labelsValue, "\"history.labels\"", id).entrySet()) {
                String label = Labels.require(e.getKey(), id);
                if (Labels.LATEST.equals(label)) {
                    throw new ValidationException("\"history.labels\" lists 'latest', which always names the line's"
                            + " own version and is not listed", id);
                }
                if (!(e.getValue() instanceof String) || !versions.containsKey(e.getValue())) {
                    throw new ValidationException("label '" + label + "' points at " + describe(e.getValue())
                            + ", which is not among the versions " + String.join(", ", versions.keySet()), id);
                }
                labels.put(label, (String) e.getValue());
            }
        }

        List<LabelMove> moves = new ArrayList<>();
        Object movesValue = history.get("label_history");
        if (movesValue != null) {
            int n = 0;
            for (Object item : list(movesValue, "\"history.label_history\"", id)) {
                n++;
                String where = "label move " + n;
                Map<String, Object> move = object(item, "each of \"history.label_history\"", id);
                String label = text(move, "label", false, where, id);
                if (!Labels.isValid(label)) {
                    throw new ValidationException(where + ": invalid label '" + label + "'", id);
                }
                Instant at = instant(move, "at", where, id);
                if (at == null) {
                    throw new ValidationException(where + ": \"at\" is missing: every move has its time", id);
                }
                moves.add(new LabelMove(label, version(move, "from", where, id), version(move, "to", where, id),
                        at, text(move, "author", true, where, id),
                        text(move, "message", true, where, id)));
            }
        }
        return new TemplateHistory(id, new ArrayList<>(versions.values()), latest.version(), labels, moves);
    }

    private static TemplateSpec record(Object value, String where, String id) {
        TemplateSpec spec;
        try {
            spec = SpecRecords.fromRecord(value, id);
        } catch (ValidationException e) {
            throw new ValidationException("the record of " + where + ": " + e.detail(), id);
        }
        if (!spec.id().equals(id)) {
            throw new ValidationException("the record of " + where + " has the id '" + spec.id() + "'", id);
        }
        return spec;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String what, String id) {
        if (!(value instanceof Map)) {
            throw new ValidationException(what + " must be a JSON object, found " + Json.kind(value), id);
        }
        return (Map<String, Object>) value;
    }

    private static List<?> list(Object value, String what, String id) {
        if (!(value instanceof List)) {
            throw new ValidationException(what + " must be a JSON array, found " + Json.kind(value), id);
        }
        return (List<?>) value;
    }

    private static String text(Map<String, Object> object, String key, boolean nullable, String where, String id) {
        Object value = object.get(key);
        if (value == null && nullable) {
            return null;
        }
        if (!(value instanceof String)) {
            throw new ValidationException(where + ": \"" + key + "\" must be a string" + (nullable ? " or null" : "")
                    + ", found " + Json.kind(value), id);
        }
        return (String) value;
    }

    private static String version(Map<String, Object> object, String key, String where, String id) {
        String version = text(object, key, true, where, id);
        if (version != null && !Versions.isValid(version)) {
            throw new ValidationException(where + ": \"" + key + "\" is not a version: '" + version + "'", id);
        }
        return version;
    }

    private static Instant instant(Map<String, Object> object, String key, String where, String id) {
        String text = text(object, key, true, where, id);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new ValidationException(where + ": \"" + key + "\" is not a UTC time such as"
                    + " 2025-01-02T10:00:00Z: '" + text + "'", id);
        }
    }

    private static String describe(Object value) {
        return value instanceof String ? "version " + value : Json.kind(value);
    }
}
