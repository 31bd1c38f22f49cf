package io.promptlightning.cli;

import io.promptlightning.LmdbRegistry;
import io.promptlightning.LocalRegistry;
import io.promptlightning.Problem;
import io.promptlightning.VerifyReport;
import io.promptlightning.internal.VaultConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

final class VerifyCommand extends CliCommand {
    VerifyCommand(PromptLightningCli root) {
        super(root, "verify", "Check the project's storage end to end and print what is damaged.",
                "For an LMDB database: the file against the sizes it declares, every page, every record, version,"
                        + " label and label move against the checksum written with it, the stored count and the"
                        + " indexes; run in a child process, so that a crash inside LMDB becomes part of the report."
                        + " For a prompt directory: every template, version and label file parses and agrees with"
                        + " its history, and no interrupted write is left over. Nothing is changed. Exit code 1 if"
                        + " anything is wrong, with the way out (usually 'promptlightning restore BACKUP').");
        flag("--json", "Print a JSON object {registry, storage, ok, templates, versions, problems: [{file, line,"
                + " template, message}]}.");
    }

    @Override
    public Integer call() {
        VaultConfig config = root.projectConfig();
        VerifyReport report = config.usesLmdb() ? LmdbRegistry.verify(config.dbPath())
                : LocalRegistry.verify(config.promptDir());
        if (flag("--json")) {
            List<Map<String, Object>> problems = new ArrayList<>();
            for (Problem p : report.problems()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("file", p.file() == null ? null : ctx().show(p.file()));
                entry.put("line", p.line());
                entry.put("template", p.templateId());
                entry.put("message", p.message());
                problems.add(entry);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("registry", report.kind());
            out.put("storage", ctx().show(report.path()));
            out.put("ok", report.ok());
            out.put("templates", report.templates());
            out.put("versions", report.versions());
            out.put("problems", problems);
            ctx().out().println(Json.compact(out));
        } else {
            StringBuilder sb = new StringBuilder();
            for (Problem p : report.problems()) {
                sb.append(new Problem(p.file() == null ? null : Path.of(ctx().show(p.file())), p.line(),
                        p.templateId(), p.message())).append('\n');
            }
            if (report.ok()) {
                sb.append("ok: ").append(report.kind()).append(" registry ").append(ctx().show(report.path()))
                        .append(": ").append(report.templates()).append(report.templates() == 1 ? " template, "
                                : " templates, ").append(report.versions())
                        .append(report.versions() == 1 ? " version" : " versions").append(", no problems\n");
            }
            ctx().out().print(sb);
        }
        if (!report.ok()) {
            ctx().out().flush();
            if (!flag("--json")) {
                ctx().err().println("error: " + report.problems().size() + (report.problems().size() == 1
                        ? " problem" : " problems") + " in " + ctx().show(report.path()));
            }
            return PromptLightningCli.PROBLEM;
        }
        return PromptLightningCli.OK;
    }
}
