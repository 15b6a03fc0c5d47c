package mlteams.local.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/** The sample events in the repository's events/ folder, which tests use as their inputs. */
public final class Events {

    private Events() {
    }

    public static String read(String name) {
        try {
            return Files.readString(RepoPaths.root().resolve("events").resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
