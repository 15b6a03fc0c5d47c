package mlteams.activity;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Splits a downloaded CloudTrail file into its records without parsing them: a log file ({"Records": […]}, as
 * CloudTrail writes to S3) or JSON lines of records (as exported from CloudWatch Logs or EventBridge), gzipped or
 * not. Each record is handed on as a slice of the file's bytes, so a bad record fails only itself.
 */
final class CloudTrailFiles {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    /** Receives each record, or the reason the rest of a file could not be read. */
    interface Sink {
        void record(int ordinal, byte[] buffer, int offset, int length);

        void unreadable(int ordinal, String reason);
    }

    private CloudTrailFiles() {
    }

    static byte[] decompressIfGzipped(byte[] data) throws IOException {
        if (data.length >= 2 && (data[0] & 0xFF) == 0x1F && (data[1] & 0xFF) == 0x8B) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data), 64 * 1024)) {
                return in.readAllBytes();
            }
        }
        return data;
    }

    /** Feeds every record of the file to the sink, in order, numbered from 1. */
    static void split(byte[] data, Sink sink) {
        if (!splitLogFile(data, sink)) {
            splitLines(data, sink);
        }
    }

    /**
     * A log file is one JSON object with a "Records" array. False when the data is no such thing (then it is read as
     * JSON lines); true once the Records array was found, even if the file breaks off inside it.
     */
    private static boolean splitLogFile(byte[] data, Sink sink) {
        int ordinal = 0;
        try (JsonParser p = JSON.createParser(data)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            String name;
            while ((name = p.nextFieldName()) != null) {
                JsonToken v = p.nextToken();
                if (!name.equals("Records") || v != JsonToken.START_ARRAY) {
                    p.skipChildren();
                    continue;
                }
                try {
                    JsonToken t;
                    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                        if (t == null) {
                            throw new IOException("the file ends inside Records");
                        }
                        int start = (int) p.currentTokenLocation().getByteOffset();
                        p.skipChildren();
                        int end = (int) p.currentLocation().getByteOffset();
                        sink.record(++ordinal, data, start, end - start);
                    }
                } catch (IOException e) {
                    sink.unreadable(ordinal + 1, "the log file is not valid JSON after record " + ordinal + ": "
                            + firstLine(e.getMessage()));
                }
                return true;
            }
            return false;
        } catch (IOException notALogFile) {
            return ordinal > 0;
        }
    }

    private static void splitLines(byte[] data, Sink sink) {
        int ordinal = 0;
        int start = 0;
        for (int i = 0; i <= data.length; i++) {
            if (i == data.length || data[i] == '\n') {
                int end = i;
                if (end > start && data[end - 1] == '\r') {
                    end--;
                }
                if (!blank(data, start, end)) {
                    sink.record(++ordinal, data, start, end - start);
                }
                start = i + 1;
            }
        }
    }

    private static boolean blank(byte[] data, int from, int to) {
        for (int i = from; i < to; i++) {
            if (data[i] != ' ' && data[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
