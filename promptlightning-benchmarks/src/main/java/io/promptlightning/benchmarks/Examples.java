package io.promptlightning.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import io.promptlightning.jinja.Environment;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The benchmarked example templates and their contexts, read from the classpath resources under
 * {@code examples/}: each template's source is the {@code template} field of its YAML file, and each
 * context comes from {@code examples/contexts.json}, which the Python baseline reads too.
 */
public final class Examples {
    /** Template ids, which are also the YAML file names (without {@code .yaml}) and the keys of contexts.json. */
    public static final String SUMMARIZER = "summarizer";
    public static final String ANALYZER = "analyzer";
    public static final String MULTI_INPUT = "multi-input-template";
    public static final List<String> IDS = List.of(SUMMARIZER, ANALYZER, MULTI_INPUT);

    private Examples() {
    }

    /** The {@code template} field of {@code examples/<id>.yaml}. */
    public static String templateSource(String id) {
        Object source = load("examples/" + id + ".yaml").get("template");
        if (!(source instanceof String)) {
            throw new IllegalStateException("examples/" + id + ".yaml has no string 'template' field");
        }
        return (String) source;
    }

    /** The context for {@code id} from {@code examples/contexts.json}, read-only. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> context(String id) {
        Object context = load("examples/contexts.json").get(id);
        if (!(context instanceof Map)) {
            throw new IllegalStateException("examples/contexts.json has no object for " + id);
        }
        return Collections.unmodifiableMap((Map<String, Object>) context);
    }

    /** JSON is read with SnakeYAML too: 99.99 becomes a Double, true a Boolean, arrays Lists, objects Maps. */
    private static Map<String, Object> load(String resource) {
        try (InputStream in = Examples.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
            Map<String, Object> map = yaml.load(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            if (map == null) {
                throw new IllegalStateException("empty resource " + resource);
            }
            return map;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Prints each example's rendered output between markers, to compare with the Python baseline's
     * {@code --dump} output: {@code java -cp benchmarks.jar io.promptlightning.benchmarks.Examples}.
     */
    public static void main(String[] args) {
        Environment env = Environment.promptLightning();
        for (String id : IDS) {
            String out = env.compile(id, templateSource(id)).render(context(id));
            System.out.print("=== " + id + "\n" + out + "\n");
        }
    }
}
