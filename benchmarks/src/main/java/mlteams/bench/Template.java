package mlteams.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The functions template.yaml deploys: the one list the benchmark measures. */
final class Template {

    /**
     * One {@code AWS::Serverless::Function}.
     *
     * @param name its logical id without the "Function" suffix: the name the state machines' ARN placeholders and
     *     the local runner use
     * @param module the function module its {@code CodeUri} ({@code functions/<module>/target/function.zip}) names
     */
    record Function(String name, String handlerClass, String module) {
    }

    private static final Pattern RESOURCE = Pattern.compile("^  ([A-Za-z0-9]+):\\s*$");
    private static final Pattern CODE_URI = Pattern.compile("^\\s+CodeUri:\\s*functions/([a-z0-9-]+)/target/function\\.zip\\s*$");
    private static final Pattern HANDLER = Pattern.compile("^\\s+Handler:\\s*([\\w.$]+)::handleRequest\\s*$");

    private Template() {
    }

    /** Reads the Resources section line by line (its short-form intrinsics are no YAML a plain parser reads). */
    static List<Function> functions(Path template) throws IOException {
        List<Function> functions = new ArrayList<>();
        String resource = null;
        boolean isFunction = false;
        boolean inResources = false;
        String module = null;
        String handler = null;
        List<String> lines = new ArrayList<>(Files.readAllLines(template));
        lines.add("End:");
        for (String line : lines) {
            if (!line.startsWith(" ") && !line.isBlank() && !line.startsWith("#")) {
                inResources = line.startsWith("Resources:");
            }
            Matcher m = RESOURCE.matcher(line);
            if (m.matches() || (!line.startsWith(" ") && !line.isBlank() && !line.startsWith("#"))) {
                if (isFunction) {
                    if (module == null || handler == null) {
                        throw new IllegalStateException("template.yaml: " + resource + " has no CodeUri"
                                + " functions/<module>/target/function.zip or no Handler <class>::handleRequest");
                    }
                    functions.add(new Function(resource.replaceFirst("Function$", ""), handler, module));
                }
                resource = inResources && m.matches() ? m.group(1) : null;
                isFunction = false;
                module = null;
                handler = null;
                continue;
            }
            if (resource == null) {
                continue;
            }
            isFunction |= line.trim().equals("Type: AWS::Serverless::Function");
            Matcher code = CODE_URI.matcher(line);
            Matcher h = HANDLER.matcher(line);
            if (code.matches()) {
                module = code.group(1);
            } else if (h.matches()) {
                handler = h.group(1);
            }
        }
        if (functions.isEmpty()) {
            throw new IllegalStateException("template.yaml: no AWS::Serverless::Function found");
        }
        return functions;
    }
}
