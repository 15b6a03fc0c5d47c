package mlteams.common;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * The one JSON mapper. jackson-jr binds records and maps without databind's reflection-heavy start-up,
 * which matters on every cold start.
 */
public final class Json {

    private static final JSON MAPPER = JSON.builder().build();

    private Json() {
    }

    public static <T> T read(InputStream in, Class<T> type) throws IOException {
        if (type == Map.class) {
            return type.cast(MAPPER.mapFrom(in)); // jackson-jr binds a raw Map only through mapFrom
        }
        return MAPPER.beanFrom(type, in);
    }

    public static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.beanFrom(type, json);
        } catch (IOException e) {
            throw new IllegalArgumentException("Not valid JSON for " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    public static Map<String, Object> readMap(String json) {
        try {
            return MAPPER.mapFrom(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("Not a JSON object: " + e.getMessage(), e);
        }
    }

    public static Object readAny(InputStream in) throws IOException {
        return MAPPER.anyFrom(in);
    }

    public static void write(OutputStream out, Object value) throws IOException {
        MAPPER.write(value, out);
    }

    public static String write(Object value) {
        try {
            return MAPPER.asString(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot write JSON: " + e.getMessage(), e);
        }
    }
}
