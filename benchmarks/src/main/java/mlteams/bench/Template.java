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

    private static final Pattern CODE_URI = Pattern.compile("(?m)^ +CodeUri: *functions/([a-z0-9-]+)/target/function\\.zip *$");
    private static final Pattern HANDLER = Pattern.compile("(?m)^ +Handler: *([\\w.$]+)::handleRequest *$");

    private Template() {
    }

    /** Splits the Resources section at each resource (its short-form intrinsics are no YAML a plain parser reads). */
    static List<Function> functions(Path template) throws IOException {
        String text = Files.readString(template);
        String resources = text.substring(text.indexOf("\nResources:\n")).split("\n(?=[A-Za-z])", 3)[1];
        List<Function> functions = new ArrayList<>();
        for (String block : resources.split("\n(?=  [A-Za-z0-9]+:\\s*\n)")) {
            if (block.contains("\n    Type: AWS::Serverless::Function\n")) {
                String id = block.trim().substring(0, block.trim().indexOf(':'));
                Matcher code = CODE_URI.matcher(block);
                Matcher handler = HANDLER.matcher(block);
                if (!code.find() || !handler.find()) {
                    throw new IllegalStateException("template.yaml: " + id + " has no CodeUri"
                            + " functions/<module>/target/function.zip or no Handler <class>::handleRequest");
                }
                functions.add(new Function(id.replaceFirst("Function$", ""), handler.group(1), code.group(1)));
            }
        }
        if (functions.isEmpty()) {
            throw new IllegalStateException("template.yaml: no AWS::Serverless::Function in its Resources");
        }
        return functions;
    }
}
