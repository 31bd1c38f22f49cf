package io.promptlightning.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.promptlightning.ValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prices per token, in LiteLLM's {@code model_prices_and_context_window.json} schema: a JSON object whose keys are
 * model names ({@code gpt-4o}, {@code gemini/gemini-2.5-pro}, ...) and whose values hold
 * {@code input_cost_per_token} and {@code output_cost_per_token} in US dollars, with optional tiers
 * ({@code input_cost_per_token_above_200k_tokens}, ...). Entries this table does not understand are skipped:
 * {@code sample_spec}, modes other than chat, completion and responses, entries without a per-token price, and
 * top-level values that are not objects, such as our {@code "as_of": "YYYY-MM-DD"}.
 *
 * <p>A lookup tries, for the response's model and then the requested one (either may carry a {@code provider/}
 * prefix): {@code provider/model}, {@code model},
 * both again without a date suffix ({@code -2024-08-06}, {@code -20250514}, {@code -latest}), then the newest dated
 * entry for the undated name. A user's table is searched whole before the shipped one under it.
 */
public final class PriceTable {
    /** The table shipped in the jar. */
    static final String RESOURCE = "/io/promptlightning/model_prices_and_context_window.json";

    private static final Set<String> MODES = Set.of("chat", "completion", "responses");
    private static final Pattern TIER = Pattern.compile("(input|output)_cost_per_token_above_(\\d+)k_tokens");
    private static final Pattern DATED = Pattern.compile("(.+?)-(\\d{4}-\\d{2}-\\d{2}|\\d{8})");
    private static final Pattern SUFFIX = Pattern.compile("-(\\d{4}-\\d{2}-\\d{2}|\\d{8}|latest)$");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Price> prices;
    /** An undated name and the key of its newest dated entry: {@code claude-sonnet-4} to its {@code -20250514}. */
    private final Map<String, String> newestDated;
    private final String source;
    private final PriceTable under;

    /** A tier: from more than {@code aboveTokens} prompt tokens on, these rates apply (null: the base rate). */
    record Tier(long aboveTokens, Double inputPerToken, Double outputPerToken) {
    }

    /**
     * The price of one model.
     *
     * @param inputPerToken  US dollars per prompt token
     * @param outputPerToken US dollars per completion token
     * @param tiers          higher rates for long prompts, lowest threshold first
     * @param source         where it comes from, for the log's price source
     */
    public record Price(double inputPerToken, double outputPerToken, List<Tier> tiers, String source) {
        public Price {
            tiers = List.copyOf(tiers);
        }

        /** The cost of a call in US dollars: never negative. */
        public double cost(long tokensIn, long tokensOut) {
            double in = inputPerToken;
            double out = outputPerToken;
            for (Tier tier : tiers) {
                if (tokensIn > tier.aboveTokens()) {
                    in = tier.inputPerToken() == null ? in : tier.inputPerToken();
                    out = tier.outputPerToken() == null ? out : tier.outputPerToken();
                }
            }
            return Math.max(0, tokensIn * in + tokensOut * out);
        }
    }

    private PriceTable(Map<String, Price> prices, String source, PriceTable under) {
        this.prices = prices;
        this.source = source;
        this.under = under;
        this.newestDated = new HashMap<>();
        for (String key : prices.keySet()) {
            Matcher m = DATED.matcher(key);
            if (m.matches()) {
                newestDated.merge(m.group(1), key, (a, b) -> dateOf(a).compareTo(dateOf(b)) >= 0 ? a : b);
            }
        }
    }

    private static String dateOf(String datedKey) {
        Matcher m = DATED.matcher(datedKey);
        return m.matches() ? m.group(2).replace("-", "") : "";
    }

    private static final class Shipped {
        static final PriceTable TABLE = readShipped();
    }

    /** The table shipped in the jar, read once. */
    public static PriceTable shipped() {
        return Shipped.TABLE;
    }

    private static PriceTable readShipped() {
        try (InputStream in = PriceTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the price table " + RESOURCE + " is missing from the jar");
            }
            JsonNode root = JSON.readTree(in);
            JsonNode asOf = root.get("as_of");
            String source = "shipped prices as of " + (asOf == null ? "an unknown date" : asOf.asText());
            return new PriceTable(entries(root, source), source, null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the shipped price table", e);
        }
    }

    /**
     * A user's table over {@code under}: its entries win wherever they match. A LiteLLM
     * {@code model_prices_and_context_window.json} works as it is.
     *
     * @throws ValidationException naming the file (and line) when it cannot be read or is not a JSON object
     */
    public static PriceTable read(Path file, PriceTable under) {
        JsonNode root;
        try (InputStream in = Files.newInputStream(file)) {
            root = JSON.readTree(in);
        } catch (NoSuchFileException e) {
            throw new ValidationException("the prices file does not exist", null, file, 0, e);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getLineNr());
            throw new ValidationException("the prices file is not valid JSON: " + e.getOriginalMessage(), null, file,
                    line, e);
        } catch (IOException e) {
            throw new ValidationException("cannot read the prices file: " + e, null, file, 0, e);
        }
        if (root == null || !root.isObject()) {
            throw new ValidationException("a prices file is a JSON object of model names, as LiteLLM's "
                    + "model_prices_and_context_window.json", null, file, 1, null);
        }
        JsonNode asOf = root.get("as_of");
        String source = file.toAbsolutePath().normalize().toString()
                + (asOf != null && asOf.isTextual() ? " (as of " + asOf.asText() + ")" : "");
        return new PriceTable(entries(root, source), source, under);
    }

    private static Map<String, Price> entries(JsonNode root, String source) {
        Map<String, Price> out = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Price price = price(e.getKey(), e.getValue(), source);
            if (price != null) {
                out.put(e.getKey(), price);
            }
        }
        return out;
    }

    private static Price price(String name, JsonNode entry, String source) {
        if (!entry.isObject() || name.equals("sample_spec")) {
            return null;
        }
        JsonNode mode = entry.get("mode");
        if (mode != null && !(mode.isTextual() && MODES.contains(mode.asText()))) {
            return null;
        }
        JsonNode in = entry.get("input_cost_per_token");
        JsonNode out = entry.get("output_cost_per_token");
        if ((in == null && out == null) || !rate(in) || !rate(out)) {
            return null;
        }
        Map<Long, Double[]> tiers = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = entry.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            Matcher m = TIER.matcher(field.getKey());
            if (m.matches() && field.getValue() != null && rate(field.getValue())) {
                Double[] rates = tiers.computeIfAbsent(Long.parseLong(m.group(2)) * 1000, k -> new Double[2]);
                rates[m.group(1).equals("input") ? 0 : 1] = field.getValue().asDouble();
            }
        }
        List<Tier> tierList = new ArrayList<>();
        tiers.forEach((above, rates) -> tierList.add(new Tier(above, rates[0], rates[1])));
        tierList.sort(Comparator.comparingLong(Tier::aboveTokens));
        return new Price(in == null ? 0 : in.asDouble(), out == null ? 0 : out.asDouble(), tierList, source);
    }

    /** Absent, or a finite number not below 0. */
    private static boolean rate(JsonNode node) {
        return node == null || (node.isNumber() && Double.isFinite(node.asDouble()) && node.asDouble() >= 0);
    }

    /**
     * The price of a call: by the model that answered ({@code responseModel}, may be null), else by the one asked
     * for.
     */
    public Optional<Price> find(String provider, String responseModel, String requestedModel) {
        for (PriceTable table = this; table != null; table = table.under) {
            Price price = table.findHere(provider, responseModel);
            if (price == null && requestedModel != null && !requestedModel.equals(responseModel)) {
                price = table.findHere(provider, requestedModel);
            }
            if (price != null) {
                return Optional.of(price);
            }
        }
        return Optional.empty();
    }

    private Price findHere(String provider, String model) {
        if (model == null || model.isEmpty()) {
            return null;
        }
        if (model.startsWith("models/")) {
            model = model.substring("models/".length());
        }
        if (provider != null && model.startsWith(provider + "/")) {
            model = model.substring(provider.length() + 1);
        }
        String stripped = SUFFIX.matcher(model).replaceFirst("");
        for (String name : stripped.equals(model) ? List.of(model) : List.of(model, stripped)) {
            for (String key : provider == null ? List.of(name) : List.of(provider + "/" + name, name)) {
                Price price = prices.get(key);
                if (price == null && newestDated.containsKey(key)) {
                    price = prices.get(newestDated.get(key));
                }
                if (price != null) {
                    return price;
                }
            }
        }
        return null;
    }

    /** Where the prices come from: {@code shipped prices as of DATE}, or the user's file over it. */
    public String source() {
        return under == null ? source : source + " over " + under.source();
    }

    /** How many models this table (without the one under it) prices. */
    int size() {
        return prices.size();
    }
}
