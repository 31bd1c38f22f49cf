package io.promptlightning;

import java.util.List;
import java.util.Map;

/**
 * Everything a registry keeps about one template: every version, which one is latest, its labels and its label
 * history. It is what {@link Registry#history(String)} returns and {@link Registry#importHistory} takes, so a
 * template moves between registries (and through export files) without losing anything.
 *
 * @param id           the template id
 * @param versions     every version, in {@link Versions#ORDER}
 * @param latest       the version a plain id loads
 * @param labels       label → version, without {@code latest}
 * @param labelHistory every label move, oldest first
 */
public record TemplateHistory(String id, List<SavedVersion> versions, String latest, Map<String, String> labels,
        List<LabelMove> labelHistory) {

    public TemplateHistory {
        Ids.requireReadableId(id);
        versions = List.copyOf(versions);
        labels = Map.copyOf(labels);
        labelHistory = List.copyOf(labelHistory);
        if (versions.stream().noneMatch(v -> v.spec().version().equals(latest))) {
            throw new ValidationException("the latest version " + latest + " is not among the versions", id);
        }
    }

    /** The content of {@link #latest}. */
    public TemplateSpec latestSpec() {
        return versions.stream().filter(v -> v.spec().version().equals(latest)).findFirst().orElseThrow().spec();
    }
}
