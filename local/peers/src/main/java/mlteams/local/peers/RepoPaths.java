package mlteams.local.peers;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository root from wherever Maven or a script runs us. */
public final class RepoPaths {

    private RepoPaths() {
    }

    public static Path root() {
        String configured = System.getProperty("mlteams.repo.root");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath();
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isDirectory(dir.resolve("statemachine")) && Files.isDirectory(dir.resolve("local/sfn"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("Cannot find the repository root (a folder with statemachine/ and local/sfn/)"
                + " above " + Path.of("").toAbsolutePath());
    }
}
