package mlteams.local.peers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Runs functions the way the Lambda Java runtime does, from their deployment packages: each function.zip is
 * unpacked (classes at the root, jars in lib/), each function gets a class loader of its own over that folder and
 * its jars, its handler class is loaded by name and built with its public no-arg constructor, with the process's
 * environment as the function's. Invocations are served over HTTP by a {@link LocalLambda}, so
 * {@link LocalStepFunctions} binds an ASL's Tasks to them as it binds them to in-process handlers.
 *
 * <p><b>What a function's code can see.</b> Its loader's parent shows the JDK (the platform loader) and, of this
 * host's classpath, only the packages of aws-lambda-java-core, which is how the Lambda runtime's own loader shows
 * them: the runtime supplies {@code Context}, {@code RequestHandler} and {@code RequestStreamHandler}, and a copy
 * in the zip's lib/ is shadowed by it. Nothing else of the host (jackson-jr, the serialization library, the test
 * classpath that started it) is visible, so a class or resource missing from a zip fails here as it would in
 * Lambda. Because the interfaces are the host's own, handlers are called through them directly: no reflection, no
 * proxies. During construction and every invocation the thread's context class loader is the function's loader,
 * as the runtime sets it (the SDK finds interceptors and HTTP clients through it).
 *
 * <p>Stream handlers get the bytes as sent. For {@code RequestHandler<I, O>} the input is read and the output
 * written with aws-lambda-java-serialization, the library the Lambda Java runtime uses: its event serializers for
 * the aws-lambda-java-events types (such as {@code SQSEvent}), Jackson for other types.
 *
 * <p>Usage: {@code ZipLambdaHost SPEC_JSON WORK_DIR}, where the spec is a list of {@code {name, zip, handler}} with
 * the handler as template.yaml writes it ({@code package.Class::method}). Prints {@code READY <url>} on stdout
 * once every handler is built and served; all else goes to stderr. Exits 1 if any handler cannot be built, and 0
 * when its stdin closes (so it never outlives the process that started it).
 */
public final class ZipLambdaHost {

    /** The first stdout line, followed by the URL that serves {@code POST /invoke/{name}}. */
    public static final String READY = "READY ";

    private ZipLambdaHost() {
    }

    /** One function as a deployment package defines it. */
    public record Function(String name, Path zip, String handler) {

        public String handlerClass() {
            return handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;
        }

        public String handlerMethod() {
            return handler.contains("::") ? handler.substring(handler.indexOf("::") + 2) : "handleRequest";
        }
    }

    public static void main(String[] args) throws Exception {
        PrintStream stdout = System.out;
        System.setOut(System.err); // what handlers print is their log, not this host's protocol
        List<Function> functions = readSpec(Path.of(args[0]));
        Path work = Path.of(args[1]);

        Map<Path, Path> unpacked = new LinkedHashMap<>();
        for (Function f : functions) {
            if (!unpacked.containsKey(f.zip())) {
                unpacked.put(f.zip(), unpack(f.zip(), work.resolve("zip-" + unpacked.size())));
            }
        }
        ClassLoader runtimeApi = new LambdaRuntimeApiLoader(ZipLambdaHost.class.getClassLoader());
        LocalLambda lambda = new LocalLambda(System.err);
        List<String> failures = new ArrayList<>();
        ExecutorService builders = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()));
        try {
            List<Future<RequestStreamHandler>> built = new ArrayList<>();
            for (Function f : functions) {
                built.add(builders.submit(() -> build(f, unpacked.get(f.zip()), runtimeApi)));
            }
            for (int i = 0; i < functions.size(); i++) {
                Function f = functions.get(i);
                try {
                    lambda.register(f.name(), built.get(i).get());
                } catch (java.util.concurrent.ExecutionException e) {
                    Throwable cause = e.getCause();
                    System.err.println("[zip-host] " + f.name() + ": cannot build " + f.handler() + " from " + f.zip());
                    cause.printStackTrace();
                    failures.add(f.name() + " (" + f.handler() + " from " + f.zip() + "): " + cause);
                }
            }
        } finally {
            builders.shutdown();
        }
        if (!failures.isEmpty()) {
            System.err.println("[zip-host] FAILED to build " + failures.size() + " function(s):");
            failures.forEach(failure -> System.err.println("[zip-host]   " + failure));
            System.exit(1);
        }
        URI endpoint = lambda.start();
        stdout.println(READY + endpoint);
        stdout.flush();
        // Serves until the process that started it ends it, or ends itself: then its stdin closes.
        System.in.transferTo(OutputStream.nullOutputStream());
        System.err.println("[zip-host] stdin closed: the process that started this host is gone; stopping");
        System.exit(0);
    }

    /** Loads and builds one function's handler in its own loader, as the runtime does at cold start. */
    static RequestStreamHandler build(Function f, Path taskRoot, ClassLoader runtimeApi) throws Exception {
        long start = System.nanoTime();
        URLClassLoader loader = new URLClassLoader("function:" + f.name(), classpath(taskRoot), runtimeApi);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        Object handler;
        try {
            Class<?> type = Class.forName(f.handlerClass(), true, loader);
            if (type.getClassLoader() != loader) {
                throw new IllegalStateException(f.handlerClass() + " was loaded by " + type.getClassLoader()
                        + ", not from the function's package");
            }
            handler = type.getConstructor().newInstance();
        } finally {
            thread.setContextClassLoader(previous);
        }
        RequestStreamHandler served = adapt(f, handler, loader);
        System.err.printf("[zip-host] %s: %s built from %s in %d ms%n", f.name(), f.handler(), f.zip(),
                (System.nanoTime() - start) / 1_000_000);
        return (input, output, context) -> {
            Thread invoking = Thread.currentThread();
            ClassLoader before = invoking.getContextClassLoader();
            invoking.setContextClassLoader(loader);
            try {
                served.handleRequest(input, output, context);
            } finally {
                invoking.setContextClassLoader(before);
            }
        };
    }

    /** The handler as a stream handler: as it is, or with its input and output (de)serialised as Lambda does. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static RequestStreamHandler adapt(Function f, Object handler, ClassLoader loader) {
        if (!f.handlerMethod().equals("handleRequest")) {
            throw new IllegalStateException(f.name() + ": this host calls handleRequest of RequestStreamHandler or"
                    + " RequestHandler; template.yaml names " + f.handler());
        }
        if (handler instanceof RequestStreamHandler stream) {
            return stream;
        }
        if (handler instanceof RequestHandler pojo) {
            Type[] types = requestHandlerTypes(handler.getClass());
            PojoSerializer<Object> in = serializer(types[0], loader);
            PojoSerializer<Object> out = serializer(types[1], loader);
            return (InputStream input, OutputStream output, Context context) -> {
                Object result = pojo.handleRequest(in.fromJson(input), context);
                out.toJson(result, output);
            };
        }
        throw new IllegalStateException(f.handlerClass() + " implements neither RequestStreamHandler nor RequestHandler"
                + " (of aws-lambda-java-core, as the runtime supplies it)");
    }

    /** I and O of the handler's RequestHandler&lt;I, O&gt;, looked up through its class hierarchy. */
    private static Type[] requestHandlerTypes(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Type t : c.getGenericInterfaces()) {
                if (t instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
                    return p.getActualTypeArguments();
                }
            }
        }
        throw new IllegalStateException(type + " implements RequestHandler without naming its input and output types");
    }

    @SuppressWarnings("unchecked")
    private static PojoSerializer<Object> serializer(Type type, ClassLoader loader) {
        if (type instanceof Class<?> c && LambdaEventSerializers.isLambdaSupportedEvent(c.getName())) {
            return (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(c, loader);
        }
        return JacksonFactory.getInstance().getSerializer(type);
    }

    /** The task root, then every jar in lib/, as the Lambda Java runtime builds a function's classpath. */
    static URL[] classpath(Path taskRoot) throws IOException {
        List<URL> urls = new ArrayList<>();
        urls.add(url(taskRoot));
        Path lib = taskRoot.resolve("lib");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> jars = Files.list(lib)) {
                for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                    urls.add(url(jar));
                }
            }
        }
        return urls.toArray(URL[]::new);
    }

    private static URL url(Path path) {
        try {
            return path.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Unpacks a deployment package the way Lambda lays it out in /var/task. */
    static Path unpack(Path zip, Path dir) throws IOException {
        Files.createDirectories(dir);
        try (ZipFile file = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : java.util.Collections.list(file.entries())) {
                Path target = dir.resolve(entry.getName()).normalize();
                if (!target.startsWith(dir)) {
                    throw new IOException(zip + " has an entry outside its root: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    try (InputStream in = file.getInputStream(entry)) {
                        Files.copy(in, target);
                    }
                }
            }
        }
        return dir;
    }

    @SuppressWarnings("unchecked")
    static List<Function> readSpec(Path spec) throws IOException {
        List<Function> functions = new ArrayList<>();
        for (Object item : JSON.std.listFrom(Files.readString(spec))) {
            Map<String, Object> f = (Map<String, Object>) item;
            functions.add(new Function((String) f.get("name"), Path.of((String) f.get("zip")), (String) f.get("handler")));
        }
        return functions;
    }

    static String writeSpec(List<Function> functions) {
        List<Map<String, String>> items = new ArrayList<>();
        for (Function f : functions) {
            items.add(Map.of("name", f.name(), "zip", f.zip().toAbsolutePath().toString(), "handler", f.handler()));
        }
        try {
            return JSON.std.asString(items);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The parent of every function's loader: the JDK, plus exactly the packages of aws-lambda-java-core, taken from
     * this host's own copy (the one its {@link LocalLambda} and {@link LocalContext} are compiled against).
     */
    static final class LambdaRuntimeApiLoader extends ClassLoader {

        private final ClassLoader host;
        private final Set<String> packages;

        LambdaRuntimeApiLoader(ClassLoader host) {
            super("lambda-runtime-api", ClassLoader.getPlatformClassLoader());
            this.host = host;
            this.packages = corePackages();
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            int dot = name.lastIndexOf('.');
            if (dot > 0 && packages.contains(name.substring(0, dot))) {
                return host.loadClass(name);
            }
            throw new ClassNotFoundException(name);
        }

        /** The packages of the jar (or folder) that RequestStreamHandler comes from. */
        private static Set<String> corePackages() {
            Set<String> packages = new TreeSet<>();
            try {
                Path source = Path.of(RequestStreamHandler.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                if (Files.isDirectory(source)) {
                    try (Stream<Path> walk = Files.walk(source)) {
                        walk.filter(p -> p.toString().endsWith(".class")).forEach(p ->
                                packages.add(source.relativize(p.getParent()).toString().replace('/', '.')));
                    }
                } else {
                    try (ZipFile jar = new ZipFile(source.toFile())) {
                        jar.stream().map(ZipEntry::getName)
                                .filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/") && n.contains("/"))
                                .forEach(n -> packages.add(n.substring(0, n.lastIndexOf('/')).replace('/', '.')));
                    }
                }
            } catch (IOException | java.net.URISyntaxException e) {
                throw new IllegalStateException("Cannot list aws-lambda-java-core's packages", e);
            }
            if (!packages.contains(RequestStreamHandler.class.getPackageName())) {
                throw new IllegalStateException("aws-lambda-java-core's packages not found: " + packages);
            }
            return packages;
        }
    }
}
