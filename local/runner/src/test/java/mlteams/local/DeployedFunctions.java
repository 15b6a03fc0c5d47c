package mlteams.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import mlteams.local.peers.RepoPaths;
import mlteams.local.peers.ZipLambdaHost;
import mlteams.local.peers.ZipLambdaProcess;

/**
 * Every function of template.yaml as it would be deployed: the zip its CodeUri names, the handler its Handler
 * names, built by the no-arg constructor Lambda calls, in a JVM whose environment is the functions' (see
 * {@link ZipLambdaHost}). Served under the names the state machines' {@code ${NameFunctionArn}} substitutions use,
 * so the real definitions run against them unchanged; a function no state machine calls (the activity monitor) is
 * served under its logical id less "Function".
 */
final class DeployedFunctions {

    private DeployedFunctions() {
    }

    /** The functions as template.yaml wires them; fails, naming what to run, if a zip has not been built. */
    static List<ZipLambdaHost.Function> fromTemplate(TemplatePolicies template) {
        Map<String, String> byName = new LinkedHashMap<>(template.stepFunctions()); // served name -> logical id
        for (String logicalId : template.ofType("AWS::Serverless::Function")) {
            if (!byName.containsValue(logicalId)) {
                byName.put(logicalId.replaceFirst("Function$", ""), logicalId);
            }
        }
        List<ZipLambdaHost.Function> functions = new ArrayList<>();
        Map<String, List<String>> missing = new TreeMap<>(); // CodeUri -> the functions it serves
        TreeSet<String> stale = new TreeSet<>();
        byName.forEach((name, logicalId) -> {
            Map<String, Object> properties = template.properties(logicalId);
            if (!(properties.get("CodeUri") instanceof String codeUri) || !(properties.get("Handler") instanceof String handler)) {
                throw new IllegalStateException(logicalId + " has no CodeUri and Handler as plain strings: " + properties);
            }
            Path zip = RepoPaths.root().resolve(codeUri);
            if (!Files.isRegularFile(zip)) {
                missing.computeIfAbsent(codeUri, z -> new ArrayList<>()).add(logicalId);
            } else {
                staleBecause(zip).ifPresent(newer -> stale.add(codeUri + " is older than " + newer));
            }
            functions.add(new ZipLambdaHost.Function(name, zip, handler));
        });
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Deployment packages not built: " + missing
                    + ". Run `mvn package` (or `mvn verify`) from the repository root first: the functions' package"
                    + " phase builds each function.zip that template.yaml's CodeUri points at.");
        }
        if (!stale.isEmpty()) {
            throw new IllegalStateException("Deployment packages older than the classes they package: " + stale
                    + ". Run `mvn package` (or `mvn verify`) from the repository root, so that these tests run the"
                    + " code as it is now.");
        }
        return functions;
    }

    /**
     * A class compiled after the zip was built, in the zip's own module or in a sibling module whose jar the zip
     * carries in lib/ (common): then the zip is not what the code now is ({@code mvn test} compiles, only
     * {@code mvn package} zips).
     */
    static Optional<Path> staleBecause(Path zip) {
        try {
            Path module = zip.getParent().getParent();
            Path modules = module.getParent();
            List<Path> classes = new ArrayList<>(List.of(module.resolve("target/classes")));
            try (ZipFile file = new ZipFile(zip.toFile()); Stream<Path> siblings = Files.list(modules)) {
                List<String> entries = file.stream().map(ZipEntry::getName).toList();
                siblings.filter(m -> entries.stream().anyMatch(e -> e.startsWith("lib/" + m.getFileName() + "-")))
                        .forEach(m -> classes.add(m.resolve("target/classes")));
            }
            FileTime built = Files.getLastModifiedTime(zip);
            for (Path dir : classes) {
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                try (Stream<Path> walk = Files.walk(dir)) {
                    Optional<Path> newer = walk.filter(Files::isRegularFile).filter(p -> {
                        try {
                            return Files.getLastModifiedTime(p).compareTo(built) > 0;
                        } catch (IOException e) {
                            return false;
                        }
                    }).findFirst();
                    if (newer.isPresent()) {
                        return Optional.of(RepoPaths.root().relativize(newer.get()));
                    }
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The functions' host, started with the given function environment plus what Lambda adds: the region, the
     * credentials, and {@code AWS_ENDPOINT_URL} (the emulator instead of AWS). Every other variable must be one
     * template.yaml gives some function, so the tests never rely on a setting a deployment would not have.
     */
    static ZipLambdaProcess start(TemplatePolicies template, Map<String, String> functionEnvironment, URI endpoint) {
        TreeSet<String> unknown = new TreeSet<>(functionEnvironment.keySet());
        unknown.removeAll(templateVariables(template));
        if (!unknown.isEmpty()) {
            throw new IllegalStateException("Not set for any function in template.yaml: " + unknown);
        }
        Map<String, String> environment = new LinkedHashMap<>(functionEnvironment);
        environment.put("AWS_REGION", "us-east-1");
        environment.put("AWS_DEFAULT_REGION", "us-east-1");
        environment.put("AWS_ACCESS_KEY_ID", "testing");
        environment.put("AWS_SECRET_ACCESS_KEY", "testing");
        environment.put("AWS_ENDPOINT_URL", endpoint.toString());
        return ZipLambdaProcess.start(fromTemplate(template), environment);
    }

    /** The names of every function's Environment.Variables in template.yaml. */
    @SuppressWarnings("unchecked")
    static TreeSet<String> templateVariables(TemplatePolicies template) {
        TreeSet<String> names = new TreeSet<>();
        for (String logicalId : template.ofType("AWS::Serverless::Function")) {
            if (template.properties(logicalId).get("Environment") instanceof Map<?, ?> environment
                    && environment.get("Variables") instanceof Map<?, ?> variables) {
                names.addAll(((Map<String, Object>) variables).keySet());
            }
        }
        return names;
    }
}
