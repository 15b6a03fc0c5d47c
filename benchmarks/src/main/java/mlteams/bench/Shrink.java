package mlteams.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import proguard.Configuration;
import proguard.ConfigurationParser;
import proguard.ProGuard;

/**
 * The size experiment (not what ships): studio-domain's zip with the SageMaker SDK module shrunk by ProGuard to
 * the classes and members the function's code reaches (no obfuscation, no optimisation, every attribute kept).
 * The benchmark measures its size and runs the domain handlers from it.
 */
final class Shrink {

    /** The shrunk variant: its exploded folder (as a function.zip unpacks) and its zip. */
    record Result(Path exploded, Path zip, long sdkJarBefore, long sdkJarAfter) {
    }

    private Shrink() {
    }

    static Result studioDomain(Path exploded, Path zip, Path work) throws Exception {
        Path jdk = javaBase(work.resolve("jdk-java.base"));
        Path lib = exploded.resolve("lib");
        Path sdkJar;
        List<String> libraries = new ArrayList<>();
        try (Stream<Path> jars = Files.list(lib)) {
            List<Path> all = jars.sorted().toList();
            sdkJar = all.stream().filter(p -> p.getFileName().toString().startsWith("sagemaker-")).findFirst().orElseThrow();
            all.stream().filter(p -> !p.equals(sdkJar)).forEach(p -> libraries.add(p + "(!META-INF/versions/**)"));
        }
        Path out = work.resolve("shrunk/studio-domain");
        copyTree(exploded, out, p -> !p.equals(sdkJar));
        Path shrunkJar = out.resolve("lib/" + sdkJar.getFileName().toString().replace(".jar", "-shrunk.jar"));
        String[] args = {
            "-injars", exploded + "(mlteams/**.class)",
            "-injars", sdkJar + "(!META-INF/maven/**)",
            "-outjars", shrunkJar + "(!mlteams/**)",
            "-libraryjars", jdk.toString(),
            "-libraryjars", String.join(System.getProperty("path.separator"), libraries),
            "-dontobfuscate", "-dontoptimize", "-keepattributes", "*",
            "-keep", "class mlteams.** { *; }",
            "-keepclassmembers", "enum * { public static **[] values(); public static ** valueOf(java.lang.String); }",
            "-dontwarn", "**", "-dontnote", "**"};
        Configuration configuration = new Configuration();
        try (ConfigurationParser parser = new ConfigurationParser(args, System.getProperties())) {
            parser.parse(configuration);
        }
        new ProGuard(configuration).execute();

        Path shrunkZip = work.resolve("shrunk/studio-domain-function.zip");
        String sdkEntry = "lib/" + sdkJar.getFileName();
        try (ZipFile original = new ZipFile(zip.toFile());
                ZipOutputStream target = new ZipOutputStream(Files.newOutputStream(shrunkZip))) {
            for (ZipEntry entry : java.util.Collections.list(original.entries())) {
                if (entry.getName().equals(sdkEntry)) {
                    continue;
                }
                target.putNextEntry(new ZipEntry(entry.getName()));
                try (InputStream in = original.getInputStream(entry)) {
                    in.transferTo(target);
                }
                target.closeEntry();
            }
            target.putNextEntry(new ZipEntry("lib/" + shrunkJar.getFileName()));
            Files.copy(shrunkJar, target);
            target.closeEntry();
        }
        return new Result(out, shrunkZip, Files.size(sdkJar), Files.size(shrunkJar));
    }

    /** java.base's class files out of the running JDK's image (JDK 24+ builds may ship no jmods for ProGuard). */
    private static Path javaBase(Path dir) throws IOException {
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/")); // the built-in one: never closed
        try (Stream<Path> walk = Files.walk(jrt.getPath("/modules/java.base"))) {
            Path root = jrt.getPath("/modules/java.base");
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                String name = root.relativize(p).toString();
                if (name.endsWith(".class") && !name.equals("module-info.class")) {
                    Path target = dir.resolve(name);
                    Files.createDirectories(target.getParent());
                    Files.copy(p, target);
                }
            }
        }
        return dir;
    }

    private static void copyTree(Path from, Path to, java.util.function.Predicate<Path> include) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                if (!include.test(p)) {
                    continue;
                }
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
