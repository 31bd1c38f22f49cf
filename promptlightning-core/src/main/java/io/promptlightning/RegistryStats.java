package io.promptlightning;

import java.time.Instant;

/**
 * What a registry holds.
 *
 * @param templates    the number of templates
 * @param versions     the number of versions, over all templates
 * @param labels       the number of labels, over all templates, without {@code latest}
 * @param mapSize      the LMDB map size in bytes, or -1 for a registry that has none
 * @param usedBytes    bytes in use: the LMDB pages in use, or the size of the template and history files
 * @param lastModified when something was last saved or deleted, or null if never
 */
public record RegistryStats(long templates, long versions, long labels, long mapSize, long usedBytes,
        Instant lastModified) {
}
