package dev.taskmaster.agent.config;

import dev.taskmaster.agent.config.ConfigLoader.Raw;
import dev.taskmaster.agent.valuepath.ValuePath;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Turns the merged {@code intercept.<name>.<field>} entries into {@link InterceptionSpec}s. */
final class InterceptionParser {

  private static final String CLASS_EXAMPLE = "such as com.example.llm.LlmClient";
  private static final List<String> PRIMITIVES =
      List.of("boolean", "byte", "char", "short", "int", "long", "float", "double");

  private InterceptionParser() {}

  /**
   * Parses every block found among {@code merged}; problems are added to {@code problems}.
   *
   * @return the enabled blocks sorted by name, each with its index as id
   */
  static List<InterceptionSpec> parse(Map<String, Raw> merged, List<String> problems) {
    Map<String, Map<String, Raw>> blocks = new TreeMap<>();
    String prefix = ConfigLoader.INTERCEPT_PREFIX;
    for (Map.Entry<String, Raw> entry : merged.entrySet()) {
      String key = entry.getKey();
      if (!key.startsWith(prefix)) {
        continue;
      }
      int dot = key.indexOf('.', prefix.length());
      String name = key.substring(prefix.length(), dot);
      if (!isValidName(name)) {
        problems.add(
            key
                + " from "
                + entry.getValue().origin
                + " is ignored: an interception name is made of letters, digits, '_' and '-'");
        continue;
      }
      Map<String, Raw> fields = blocks.get(name);
      if (fields == null) {
        fields = new TreeMap<>();
        blocks.put(name, fields);
      }
      fields.put(key.substring(dot + 1), entry.getValue());
    }

    List<InterceptionSpec> specs = new ArrayList<>();
    for (Map.Entry<String, Map<String, Raw>> block : blocks.entrySet()) {
      InterceptionSpec spec =
          new Block(block.getKey(), block.getValue(), problems).parse(specs.size());
      if (spec != null) {
        specs.add(spec);
      }
    }
    return Collections.unmodifiableList(specs);
  }

  static boolean isValidName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** A dotted sequence of Java identifiers; {@code $} is part of identifiers. */
  static boolean isQualifiedName(String text) {
    if (text.isEmpty() || text.startsWith(".") || text.endsWith(".")) {
      return false;
    }
    for (String part : text.split("\\.", -1)) {
      if (!isIdentifier(part)) {
        return false;
      }
    }
    return true;
  }

  static boolean isIdentifier(String text) {
    if (text.isEmpty() || !Character.isJavaIdentifierStart(text.charAt(0))) {
      return false;
    }
    for (int i = 1; i < text.length(); i++) {
      if (!Character.isJavaIdentifierPart(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Parses a {@code params} value into normalised type names, or null if one is not a type. Items
   * are separated by commas or semicolons; {@code T...} means {@code T[]}.
   */
  static List<String> parseParameterTypes(String value) {
    List<String> types = new ArrayList<>();
    if (value.isEmpty()) {
      return types;
    }
    for (String part : value.split("[,;]", -1)) {
      String type = part.trim();
      String dimensions = "";
      if (type.endsWith("...")) {
        type = type.substring(0, type.length() - 3).trim();
        dimensions = "[]";
      }
      while (type.endsWith("]")) {
        String withoutBracket = type.substring(0, type.length() - 1).trim();
        if (!withoutBracket.endsWith("[")) {
          return null;
        }
        type = withoutBracket.substring(0, withoutBracket.length() - 1).trim();
        dimensions += "[]";
      }
      if (!PRIMITIVES.contains(type) && !isQualifiedName(type)) {
        return null;
      }
      types.add(type + dimensions);
    }
    return types;
  }

  /** One block's fields, checked one by one. */
  private static final class Block {
    private final String name;
    private final Map<String, Raw> fields;
    private final List<String> problems;
    private boolean enabled = true;

    Block(String name, Map<String, Raw> fields, List<String> problems) {
      this.name = name;
      this.fields = fields;
      this.problems = problems;
    }

    InterceptionSpec parse(int id) {
      List<String> known = ConfigKeys.interceptionFields();
      for (Map.Entry<String, Raw> field : fields.entrySet()) {
        if (!known.contains(field.getKey())) {
          String suggestion = ConfigLoader.closest(field.getKey(), new ArrayList<>(known));
          disable(
              key(field.getKey())
                  + " from "
                  + field.getValue().origin
                  + " is not a known interception field"
                  + (suggestion == null ? "" : " (did you mean " + key(suggestion) + "?)")
                  + ": the fields are "
                  + String.join(", ", known));
        }
      }

      String className = required("class", "a fully qualified class name " + CLASS_EXAMPLE);
      if (className != null && !isQualifiedName(className)) {
        notAccepted("class", "a fully qualified class name " + CLASS_EXAMPLE + " ($ for nested)");
      }
      String methodName = required("method", "a method name such as complete");
      if (methodName != null && !isIdentifier(methodName)) {
        notAccepted("method", "a method name such as complete");
      }
      List<String> parameterTypes = null;
      Raw params = fields.get("params");
      if (params != null) {
        parameterTypes = parseParameterTypes(params.value);
        if (parameterTypes == null) {
          notAccepted(
              "params",
              "fully qualified parameter types separated by ',' or ';' such as"
                  + " java.lang.String;int[], or nothing for the method without parameters");
        }
      }
      String endpoint = name;
      Raw endpointRaw = fields.get("endpoint");
      if (endpointRaw != null) {
        if (endpointRaw.value.isEmpty()) {
          problems.add(
              key("endpoint")
                  + " from "
                  + endpointRaw.origin
                  + " is empty: expected a label value; using the block name "
                  + ConfigLoader.quote(name));
        } else {
          endpoint = endpointRaw.value;
        }
      }

      ValuePath model = valuePath("model");
      ValuePath prompt = valuePath("prompt");
      ValuePath response = valuePath("response");
      ValuePath inputTokens = valuePath("tokens.input");
      ValuePath outputTokens = valuePath("tokens.output");
      ValuePath cachedInputTokens = valuePath("tokens.cached");
      ValuePath requestId = valuePath("id");
      if (!enabled) {
        return null;
      }
      return new InterceptionSpec(
          id,
          name,
          className,
          methodName,
          parameterTypes,
          endpoint,
          model,
          prompt,
          response,
          inputTokens,
          outputTokens,
          cachedInputTokens,
          requestId);
    }

    private String required(String field, String accepted) {
      Raw raw = fields.get(field);
      if (raw == null) {
        disable(key(field) + " is missing: an interception block needs class and method");
        return null;
      }
      if (raw.value.isEmpty()) {
        disable(key(field) + " from " + raw.origin + " is empty: expected " + accepted);
        return null;
      }
      return raw.value;
    }

    private void notAccepted(String field, String accepted) {
      Raw raw = fields.get(field);
      disable(
          key(field)
              + "="
              + ConfigLoader.quote(raw.value)
              + " from "
              + raw.origin
              + " is not accepted: expected "
              + accepted);
    }

    private ValuePath valuePath(String field) {
      Raw raw = fields.get(field);
      if (raw == null) {
        return null;
      }
      try {
        return ValuePath.parse(raw.value);
      } catch (IllegalArgumentException e) {
        problems.add(
            key(field)
                + "="
                + ConfigLoader.quote(raw.value)
                + " from "
                + raw.origin
                + " is not accepted: "
                + e.getMessage()
                + "; the field is ignored, the rest of interception "
                + ConfigLoader.quote(name)
                + " stays enabled");
        return null;
      }
    }

    private void disable(String problem) {
      enabled = false;
      problems.add(problem + "; interception " + ConfigLoader.quote(name) + " is disabled");
    }

    private String key(String field) {
      return ConfigLoader.INTERCEPT_PREFIX + name + "." + field;
    }
  }
}
