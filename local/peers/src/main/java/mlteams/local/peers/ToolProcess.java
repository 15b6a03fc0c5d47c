package mlteams.local.peers;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs one of the local tooling's helpers (a Python or Node script) to completion and returns what it printed.
 * Its stderr goes to a file, so a chatty helper cannot block on a full pipe, and is quoted when it fails.
 */
public final class ToolProcess {

    private ToolProcess() {
    }

    /** @param stdin what to write to the helper's standard input, or null for none */
    public static String output(File directory, String stdin, List<String> command) {
        Path errors = null;
        try {
            errors = Files.createTempFile("tool-", ".err");
            Process process = new ProcessBuilder(command).directory(directory)
                    .redirectError(errors.toFile()).start();
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + Files.readString(errors));
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (errors != null) {
                errors.toFile().delete();
            }
        }
    }
}
