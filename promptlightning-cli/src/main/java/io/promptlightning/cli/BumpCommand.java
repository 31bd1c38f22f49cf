package io.promptlightning.cli;

import io.promptlightning.LocalRegistry;
import io.promptlightning.SaveOptions;
import io.promptlightning.TemplateRef;
import io.promptlightning.TemplateSpec;
import io.promptlightning.Versions;
import io.promptlightning.internal.SpecYaml;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.representer.Representer;

final class BumpCommand extends CliCommand {
    BumpCommand(PromptLightningCli root) {
        super(root, "bump", "Increase a template's semantic version and save it, recording the new version.",
                "--patch: 1.2.3 -> 1.2.4; --minor: 1.2.3 -> 1.3.0; --major: 1.2.3 -> 2.0.0 (a pre-release or build"
                        + " suffix is dropped). The old version stays readable as ID@VERSION. In a prompt directory"
                        + " only the version in the template's file changes: its comments and layout are kept.");
        spec.usageMessage().customSynopsis("promptlightning bump ID (--patch | --minor | --major) [-m MESSAGE]");
        idParameter();
        flag("--patch", "Increase the patch number.");
        flag("--minor", "Increase the minor number, patch to 0.");
        flag("--major", "Increase the major number, minor and patch to 0.");
        messageOption();
    }

    /** The part named by exactly one of --patch, --minor, --major. */
    private Versions.Part part() {
        int given = (flag("--patch") ? 1 : 0) + (flag("--minor") ? 1 : 0) + (flag("--major") ? 1 : 0);
        if (given != 1) {
            throw usage(given == 0 ? "say which part to increase: --patch, --minor or --major"
                    : "give only one of --patch, --minor and --major");
        }
        return flag("--major") ? Versions.Part.MAJOR : flag("--minor") ? Versions.Part.MINOR : Versions.Part.PATCH;
    }

    @Override
    public Integer call() throws IOException {
        CliContext ctx = ctx();
        Versions.Part part = part();
        String id = templateId();
        try (Project project = root.openProject(true)) {
            // the latest version, which a project's default_label does not change
            TemplateSpec old = Lookup.spec(project, TemplateRef.ofId(id));
            TemplateSpec bumped = old.withVersion(Versions.bump(old.version(), part));
            Path file = project.registry() instanceof LocalRegistry
                    ? servingFile(((LocalRegistry) project.registry()).directory(), id) : null;
            // the registry saves first, so that it records the old version from the file as it is; the file's own
            // text, with only its version changed, then replaces the registry's layout
            byte[] text = file == null ? null : withVersion(file, bumped);
            project.registry().save(bumped, SaveOptions.message(value("--message")));
            if (file != null) {
                SaveCommand.keepLayout((LocalRegistry) project.registry(), bumped, text);
            }
            ctx.out().println(id + ": " + old.version() + " -> " + bumped.version() + " ("
                    + ctx.show(file != null ? file : project.storage()) + ")");
        }
        return PromptLightningCli.OK;
    }

    /** The file serving {@code id} in a prompt directory: the first valid one in path order, as the registry picks. */
    static Path servingFile(Path dir, String id) {
        for (Path file : ValidateCommand.templateFiles(dir)) {
            SpecYaml.Result r = SpecYaml.parse(file);
            if (r.ok() && r.spec().id().equals(id)) {
                return file;
            }
        }
        return null;
    }

    /**
     * The content of {@code file} with only its {@code version} value changed (or a {@code version:} line added after
     * the id), so that comments and layout stay as the user wrote them; null when that cannot be done simply or the
     * result would not read as exactly {@code bumped}.
     */
    static byte[] withVersion(Path file, TemplateSpec bumped) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int offset = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
                && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, bytes.length - offset)).toString();
        } catch (CharacterCodingException notUtf8) {
            return null; // UTF-16, say: the registry's layout it is
        }
        String changed = withVersion(text, bumped.version());
        if (changed == null) {
            return null;
        }
        byte[] body = changed.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[offset + body.length];
        System.arraycopy(bytes, 0, out, 0, offset);
        System.arraycopy(body, 0, out, offset, body.length);
        SpecYaml.Result check = SpecYaml.parse(out, file);
        return check.ok() && check.spec().equals(bumped) ? out : null;
    }

    /** {@code text} with its top-level {@code version} set to {@code version}, or null when that is not simple. */
    static String withVersion(String text, String version) {
        Node node;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setMaxAliasesForCollections(50);
            node = new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()), new DumperOptions(),
                    options).compose(new StringReader(text));
        } catch (RuntimeException e) {
            return null;
        }
        if (!(node instanceof MappingNode)) {
            return null;
        }
        MappingNode root = (MappingNode) node;
        NodeTuple versionTuple = null;
        NodeTuple idTuple = null;
        for (NodeTuple t : root.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode) {
                String key = ((ScalarNode) t.getKeyNode()).getValue();
                if (key.equals("version") && versionTuple == null) {
                    versionTuple = t;
                } else if (key.equals("id") && idTuple == null) {
                    idTuple = t;
                }
            }
        }
        if (versionTuple != null) {
            if (!(versionTuple.getValueNode() instanceof ScalarNode)) {
                return null;
            }
            ScalarNode value = (ScalarNode) versionTuple.getValueNode();
            if (value.getStartMark().getLine() != value.getEndMark().getLine()) {
                return null;
            }
            String replacement;
            switch (value.getScalarStyle()) {
                case PLAIN: replacement = version; break;
                case SINGLE_QUOTED: replacement = "'" + version + "'"; break;
                case DOUBLE_QUOTED: replacement = "\"" + version + "\""; break;
                default: return null;
            }
            int start = charIndex(text, value.getStartMark().getIndex());
            int end = charIndex(text, value.getEndMark().getIndex());
            return text.substring(0, start) + replacement + text.substring(end);
        }
        if (idTuple == null || root.getFlowStyle() != DumperOptions.FlowStyle.BLOCK
                || idTuple.getKeyNode().getStartMark().getColumn() != 0) {
            return null;
        }
        int idEnd = charIndex(text, idTuple.getValueNode().getEndMark().getIndex());
        int lineEnd = text.indexOf('\n', idEnd);
        if (lineEnd < 0) {
            return text + "\nversion: " + version + "\n";
        }
        return text.substring(0, lineEnd + 1) + "version: " + version + "\n" + text.substring(lineEnd + 1);
    }

    /** SnakeYAML counts positions in code points; Java strings in UTF-16 units. */
    private static int charIndex(String text, int codePoints) {
        return text.offsetByCodePoints(0, Math.min(codePoints, text.codePointCount(0, text.length())));
    }
}
