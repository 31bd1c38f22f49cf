package io.promptlightning.cli;

import io.promptlightning.LocalRegistry;
import io.promptlightning.Registry;
import io.promptlightning.SaveOptions;
import io.promptlightning.TemplateSpec;
import io.promptlightning.ValidationException;
import io.promptlightning.VersionInfo;
import io.promptlightning.internal.SpecYaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

final class SaveCommand extends CliCommand {
    SaveCommand(PromptLightningCli root) {
        super(root, "save", "Save a template file into the project as its id's latest version, recording the version.",
                "The version is recorded with the time, your user name (PROMPTLIGHTNING_AUTHOR overrides it) and the"
                        + " message. A version, once saved, keeps its content: saving different content under a saved"
                        + " version is refused unless --force is given; saving the content of a saved version makes it"
                        + " the latest again. In a prompt directory the template's file keeps the layout and comments"
                        + " of FILE, which may be that file itself after an edit.");
        positional(0, "FILE", true, "The template's YAML file.");
        messageOption();
        flag("--force", "Replace the content of a version that is already saved.");
    }

    @Override
    public Integer call() throws IOException {
        CliContext ctx = ctx();
        Path file = ctx.workDir().resolve(positional(0)).normalize();
        byte[] bytes = Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
        SpecYaml.Result parsed = bytes == null ? SpecYaml.parse(file) : SpecYaml.parse(bytes, file);
        if (!parsed.ok()) {
            throw new CliException(parsed.error().getMessage(), "fix the file and save it again", parsed.error());
        }
        TemplateSpec spec = parsed.spec();
        boolean force = flag("--force");
        try (Project project = root.openProject(true)) {
            Registry registry = project.registry();
            try {
                registry.save(spec, new SaveOptions(value("--message"), force));
            } catch (ValidationException e) {
                if (!force && isSaved(registry, spec)) {
                    throw new CliException(e.getMessage(), "change the version in " + ctx.show(file)
                            + ", or give --force to replace what " + spec.id() + "@" + spec.version() + " holds", e);
                }
                throw e;
            }
            Path where = project.storage();
            if (registry instanceof LocalRegistry) {
                Path served = keepLayout((LocalRegistry) registry, spec, bytes);
                where = served != null ? served : where;
            }
            ctx.out().println(spec.id() + "@" + spec.version() + ": saved (" + ctx.show(where) + ")");
        }
        return PromptLightningCli.OK;
    }

    private static boolean isSaved(Registry registry, TemplateSpec spec) {
        try {
            return registry.versions(spec.id()).stream().map(VersionInfo::version).anyMatch(spec.version()::equals);
        } catch (RuntimeException noSuchTemplate) {
            return false;
        }
    }

    /**
     * The registry writes a saved template in its own layout; this puts back the text it came from (comments,
     * key order, quoting) when that text reads as exactly the same template, so saving never reformats a file.
     *
     * @param text the template's text as the user wrote it
     * @return the file that serves the template, or null if none was found
     */
    static Path keepLayout(LocalRegistry registry, TemplateSpec spec, byte[] text) throws IOException {
        Path served = BumpCommand.servingFile(registry.directory(), spec.id());
        if (served == null || text == null) {
            return served;
        }
        SpecYaml.Result written = SpecYaml.parse(served);
        SpecYaml.Result original = SpecYaml.parse(text, served);
        if (written.ok() && written.spec().equals(spec) && original.ok() && original.spec().equals(spec)
                && !java.util.Arrays.equals(Files.readAllBytes(served), text)) {
            FileWrites.replace(served, text);
        }
        return served;
    }
}
