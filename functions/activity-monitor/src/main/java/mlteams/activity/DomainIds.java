package mlteams.activity;

/** Recognises SageMaker domain ids, and finds the domain id inside SageMaker ARNs. */
final class DomainIds {

    private DomainIds() {
    }

    /** SageMaker's DomainId pattern, {@code d-(-*[a-z0-9]){1,61}}, checked without a regex. */
    static boolean isDomainId(String s) {
        int n = s == null ? 0 : s.length();
        if (n < 3 || n > 63 || s.charAt(0) != 'd' || s.charAt(1) != '-') {
            return false;
        }
        for (int i = 2; i < n; i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
                return false;
            }
        }
        return s.charAt(n - 1) != '-';
    }

    /**
     * The domain id in a SageMaker ARN of a domain ({@code …:domain/d-x}) or of something that lives in one: a user
     * profile ({@code …:user-profile/d-x/name}), a space ({@code …:space/d-x/name}) or an app
     * ({@code …:app/d-x/…}). Null for anything else.
     */
    static String fromArn(String arn) {
        if (arn == null || !arn.startsWith("arn:")) {
            return null;
        }
        // arn:partition:service:region:account:resource
        int colon = 3;
        for (int i = 0; i < 4; i++) {
            colon = arn.indexOf(':', colon + 1);
            if (colon < 0) {
                return null;
            }
            if (i == 0 && !arn.startsWith(":sagemaker:", colon)) {
                return null;
            }
        }
        int slash = arn.indexOf('/', colon + 1);
        if (slash < 0) {
            return null;
        }
        String type = arn.substring(colon + 1, slash);
        if (!type.equals("domain") && !type.equals("user-profile") && !type.equals("space") && !type.equals("app")) {
            return null;
        }
        int end = arn.indexOf('/', slash + 1);
        String id = arn.substring(slash + 1, end < 0 ? arn.length() : end);
        return isDomainId(id) ? id : null;
    }
}
