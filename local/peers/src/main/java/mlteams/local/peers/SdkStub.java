package mlteams.local.peers;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.Consumer;

/**
 * A real SDK client with chosen operations answered by the test: for what the emulator cannot show
 * (a domain that stays Pending, IAM propagation errors, throttling). Every other call reaches the real client.
 *
 * <p>SDK v2 clients offer each operation in a request form and a builder-consumer form, and paginators that
 * call back into the client. Those convenience forms are run against this proxy, so a rule on the request
 * form sees every call, whichever form the code under test used.
 */
public final class SdkStub {

    /** Answers one call, or returns {@link #PASS} to let the real client answer. May throw. */
    @FunctionalInterface
    public interface Rule {
        Object answer(String operation, Object request) throws Exception;
    }

    /** Returned by a {@link Rule} that does not answer this call. */
    public static final Object PASS = new Object();

    private SdkStub() {
    }

    public static <T> T of(Class<T> clientType, T real, Rule rule) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (isConvenienceForm(method)) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            if (args != null && args.length == 1) {
                Object answer = rule.answer(method.getName(), args[0]);
                if (answer != PASS) {
                    return answer;
                }
            }
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return clientType.cast(Proxy.newProxyInstance(clientType.getClassLoader(), new Class<?>[] {clientType}, handler));
    }

    private static boolean isConvenienceForm(Method method) {
        if (!method.isDefault()) {
            return false;
        }
        if (method.getName().endsWith("Paginator")) {
            return true;
        }
        for (Class<?> parameter : method.getParameterTypes()) {
            if (Consumer.class.isAssignableFrom(parameter)) {
                return true;
            }
        }
        return false;
    }
}
