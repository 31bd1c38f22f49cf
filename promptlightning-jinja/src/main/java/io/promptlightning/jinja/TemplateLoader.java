package io.promptlightning.jinja;

/**
 * Supplies the source of templates named in {@code {% include %}}. Implementations decide where templates
 * live (a directory, a registry, a map) and must be safe to call from several threads.
 */
@FunctionalInterface
public interface TemplateLoader {
    /**
     * @return the template source, or {@code null} if there is no template of that name
     */
    String load(String name);
}
