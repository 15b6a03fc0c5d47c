package mlteams.validate;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import mlteams.common.InvalidRequestException;
import mlteams.common.SnapStartPriming;
import mlteams.common.TeamRequest;

/**
 * Turns a raw onboarding request into a {@link TeamRequest}, or fails naming every bad field and why.
 * The rules are AWS's own (each service's API reference for its names), tightened where a derived name needs it. Patterns are
 * ASCII-only on purpose: look-alike Unicode letters never pass. Values are never echoed back, since they may
 * be huge or hostile; only their problem is.
 */
public final class RequestRules {

    static final Set<String> FIELDS = Set.of("teamName", "vpcId", "subnetIds", "securityGroupIds",
            "executionRoleArn", "kmsKeyId", "logRetentionDays", "tags", "members", "idleTimeoutMinutes");

    /**
     * 2-32 characters, lower-case letters, digits and single hyphens, starting with a letter. With the
     * default prefixes this keeps the domain name within 63 characters ([a-zA-Z0-9](-*[a-zA-Z0-9])*), the
     * log group and SSM names within their charsets, and rules out path tricks.
     */
    static final Pattern TEAM_NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
    static final int TEAM_NAME_MAX = 32;
    static final Pattern VPC_ID = Pattern.compile("vpc-([0-9a-f]{8}|[0-9a-f]{17})");
    static final Pattern SUBNET_ID = Pattern.compile("subnet-([0-9a-f]{8}|[0-9a-f]{17})");
    static final Pattern SECURITY_GROUP_ID = Pattern.compile("sg-([0-9a-f]{8}|[0-9a-f]{17})");
    private static final String PARTITION = "arn:aws(-cn|-us-gov|-iso|-iso-[a-z])?";
    /** IAM role ARN with an optional path; segments of '.' or '..' are refused below. */
    static final Pattern ROLE_ARN = Pattern.compile(
            PARTITION + ":iam::[0-9]{12}:role/([A-Za-z0-9+=,.@_-]{1,64}/){0,16}[A-Za-z0-9+=,.@_-]{1,64}");
    private static final String KEY_ID = "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})";
    private static final String ALIAS = "alias/[A-Za-z0-9/_-]{1,250}";
    static final Pattern KMS_KEY = Pattern.compile(KEY_ID + "|" + ALIAS + "|"
            + PARTITION + ":kms:[a-z]{2}(-[a-z]+)+-[0-9]:[0-9]{12}:(key/" + KEY_ID + "|" + ALIAS + ")");
    /** CloudWatch Logs accepts only these retention periods. */
    static final Set<Integer> RETENTION_DAYS = Set.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545,
            731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);
    /** AWS tag charset: letters, digits, spaces and _ . : / = + - @ */
    static final Pattern TAG_TEXT = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
    /** SageMaker allows 50 tags on a domain; we add the team tag. */
    static final int MAX_TAGS = 40;
    static final int MAX_SUBNETS = 16;
    static final int MAX_SECURITY_GROUPS = 5;
    /** SageMaker's rule for a user profile name (at most 63 characters); ASCII only, so look-alikes never pass. */
    static final Pattern USER_NAME = Pattern.compile("[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}");
    static final int MAX_MEMBERS = 100;
    /** SageMaker's bounds for IdleSettings.IdleTimeoutInMinutes. */
    static final int IDLE_MINUTES_MIN = 60;
    static final int IDLE_MINUTES_MAX = 525_600;

    private final PlatformDefaults defaults;

    public RequestRules(PlatformDefaults defaults) {
        this.defaults = defaults;
    }

    /** An onboarding request: the whole EventBridge event or only its detail object. */
    public TeamRequest validate(Map<String, Object> input) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> request = fieldsOf(input, FIELDS, problems);
        String teamName = teamName(request.get("teamName"), problems);
        String vpcId = string("vpcId", request.get("vpcId"), defaults.vpcId(), VPC_ID, "a VPC id (vpc-…)", problems);
        List<String> subnets = idList("subnetIds", request.get("subnetIds"), defaults.subnetIds(), SUBNET_ID,
                "a subnet id (subnet-…)", MAX_SUBNETS, problems);
        List<String> groups = idList("securityGroupIds", request.get("securityGroupIds"), defaults.securityGroupIds(),
                SECURITY_GROUP_ID, "a security group id (sg-…)", MAX_SECURITY_GROUPS, problems);
        String roleArn = roleArn(request.get("executionRoleArn"), problems);
        String kmsKeyId = kmsKeyId(request.get("kmsKeyId"), problems);
        Integer retention = retention(request.get("logRetentionDays"), problems);
        Map<String, String> tags = tags(request.get("tags"), problems);
        List<String> members = members(request.get("members"), problems);
        int idleMinutes = idleTimeoutMinutes(request.get("idleTimeoutMinutes"), problems);
        if (!problems.isEmpty()) {
            throw invalid(problems);
        }
        return new TeamRequest(teamName, vpcId, subnets, groups, roleArn, kmsKeyId, retention, tags, members,
                idleMinutes);
    }

    /** An offboarding request: only the team name, in the event or on its own. */
    public static TeamRequest validateOffboarding(Map<String, Object> input) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> request = fieldsOf(input, Set.of("teamName"), problems);
        String teamName = teamName(request.get("teamName"), problems);
        if (!problems.isEmpty()) {
            throw invalid(problems);
        }
        return new TeamRequest(teamName, null, null, null, null, null, 0, null, null, 0);
    }

    /** A membership change of an onboarded team: the team name and its whole member list, nothing else. */
    public static TeamRequest validateMembersChange(Map<String, Object> input) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> request = fieldsOf(input, Set.of("teamName", "members"), problems);
        String teamName = teamName(request.get("teamName"), problems);
        List<String> members = members(request.get("members"), problems);
        if (request.get("members") == null) {
            problems.add("members: required (the team's whole member list; [] for nobody)");
        }
        if (!problems.isEmpty()) {
            throw invalid(problems);
        }
        return new TeamRequest(teamName, null, null, null, null, null, 0, Map.of(), members, 0);
    }

    /**
     * SnapStart priming's refused path: runs a validation on {@link SnapStartPriming#PROBE_TEAM}, which it refuses.
     * That refusal is what keeps priming's names from ever being a real team's, so the refusal is expected and
     * swallowed here.
     */
    static void primeRefusal(Function<Map<String, Object>, TeamRequest> validation) {
        try {
            validation.apply(Map.of("teamName", SnapStartPriming.PROBE_TEAM));
        } catch (InvalidRequestException expected) {
            // the priming team name is refused
        }
    }

    /** The request's fields, with every unknown one reported. */
    private static Map<String, Object> fieldsOf(Map<String, Object> input, Set<String> allowed, List<String> problems) {
        Map<String, Object> request = detailOf(input, problems);
        if (request == null) {
            throw invalid(problems);
        }
        for (String field : request.keySet()) {
            if (!allowed.contains(field)) {
                problems.add(printable(field) + ": unknown field (allowed: "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
        return request;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> detailOf(Map<String, Object> input, List<String> problems) {
        if (input == null) {
            problems.add("request: must be a JSON object");
            return null;
        }
        if (!input.containsKey("detail")) {
            return input;
        }
        Object detail = input.get("detail");
        if (detail instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        problems.add("detail: must be a JSON object");
        return null;
    }

    private static String teamName(Object value, List<String> problems) {
        if (value == null) {
            problems.add("teamName: required");
            return null;
        }
        if (!(value instanceof String name)) {
            problems.add("teamName: must be a string, not " + typeOf(value));
            return null;
        }
        if (name.length() < 2 || name.length() > TEAM_NAME_MAX) {
            problems.add("teamName: must be 2-" + TEAM_NAME_MAX + " characters (got " + name.length() + ")");
        } else if (!TEAM_NAME.matcher(name).matches()) {
            problems.add("teamName: must be lower-case ASCII letters, digits and single hyphens, starting with a"
                    + " letter and ending with a letter or digit");
        }
        return name;
    }

    private static String string(String field, Object value, String fallback, Pattern pattern, String what,
            List<String> problems) {
        if (value == null) {
            if (fallback == null) {
                problems.add(field + ": required (the platform has no default)");
                return null;
            }
            return checked(field + " (platform default)", fallback, pattern, what, problems);
        }
        if (!(value instanceof String s)) {
            problems.add(field + ": must be a string, not " + typeOf(value));
            return null;
        }
        return checked(field, s, pattern, what, problems);
    }

    private static String checked(String field, String value, Pattern pattern, String what, List<String> problems) {
        if (value.length() > 2048 || !pattern.matcher(value).matches()) {
            problems.add(field + ": must be " + what);
        }
        return value;
    }

    /**
     * A role the stack may pass: one of its own account (iam:PassRole cannot pass another account's role) and one of
     * the deployment's allowed roles, the same set EnsureDomain's iam:PassRole statement names. Otherwise CreateDomain
     * would fail on iam:PassRole after the log group and monitoring exist.
     */
    private String roleArn(Object value, List<String> problems) {
        String field = value == null ? "executionRoleArn (platform default)" : "executionRoleArn";
        String arn = string("executionRoleArn", value, defaults.executionRoleArn(), ROLE_ARN,
                "an IAM role ARN (arn:aws:iam::<account>:role/<name>)", problems);
        if (arn == null || !ROLE_ARN.matcher(arn).matches()) {
            return arn;
        }
        if (arn.contains("/../") || arn.contains("/./") || arn.endsWith("/..") || arn.endsWith("/.")
                || arn.contains("//")) {
            problems.add(field + ": must not contain '.', '..' or empty path segments");
        } else if (!accountOf(arn).equals(defaults.accountId())) {
            problems.add(field + ": must be a role of the platform's own account");
        } else if (!defaults.mayPass(arn)) {
            problems.add(field + ": not a role the platform may pass (DefaultExecutionRoleArn or ExtraExecutionRoleArns)");
        }
        return arn;
    }

    /** A key id or alias name is the stack's own account's; a key or alias ARN names its account, which must be trusted. */
    private String kmsKeyId(Object value, List<String> problems) {
        String field = value == null ? "kmsKeyId (platform default)" : "kmsKeyId";
        String key = string("kmsKeyId", value, defaults.kmsKeyId(), KMS_KEY,
                "a KMS key id, key ARN, alias name (alias/…) or alias ARN", problems);
        if (key != null && key.startsWith("arn:") && KMS_KEY.matcher(key).matches()
                && !defaults.trustsKeysOf(accountOf(key))) {
            problems.add(field + ": a key of another account; the platform takes keys of its own account and of"
                    + " TrustedKmsKeyAccountIds only");
        }
        return key;
    }

    /** The account field of an ARN that matched its pattern. */
    private static String accountOf(String arn) {
        return arn.split(":", 6)[4];
    }

    private static List<String> idList(String field, Object value, List<String> fallback, Pattern pattern,
            String what, int max, List<String> problems) {
        if (value == null) {
            if (fallback == null || fallback.isEmpty()) {
                problems.add(field + ": required (the platform has no default)");
                return null;
            }
            return checkedList(field + " (platform default)", fallback, pattern, what, max, problems);
        }
        if (!(value instanceof List<?> list)) {
            problems.add(field + ": must be a list of strings, not " + typeOf(value));
            return null;
        }
        List<String> ids = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof String s)) {
                problems.add(field + ": every item must be a string, found " + typeOf(item));
                return null;
            }
            ids.add(s);
        }
        return checkedList(field, ids, pattern, what, max, problems);
    }

    private static List<String> checkedList(String field, List<String> ids, Pattern pattern, String what, int max,
            List<String> problems) {
        if (ids.isEmpty() || ids.size() > max) {
            problems.add(field + ": must hold 1-" + max + " items (got " + ids.size() + ")");
            return ids;
        }
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            if (id.length() > 64 || !pattern.matcher(id).matches()) {
                problems.add(field + "[" + i + "]: must be " + what);
            }
        }
        if (new HashSet<>(ids).size() != ids.size()) {
            problems.add(field + ": must not repeat an id");
        }
        return List.copyOf(ids);
    }

    private Integer retention(Object value, List<String> problems) {
        if (value == null) {
            if (defaults.logRetentionDays() == null) {
                problems.add("logRetentionDays: required (the platform has no default)");
                return null;
            }
            value = defaults.logRetentionDays();
        }
        if (!(value instanceof Integer || value instanceof Long)) {
            problems.add("logRetentionDays: must be a whole number, not " + typeOf(value));
            return null;
        }
        long days = ((Number) value).longValue();
        if (days > Integer.MAX_VALUE || !RETENTION_DAYS.contains((int) days)) {
            problems.add("logRetentionDays: must be one of CloudWatch Logs' retention periods "
                    + RETENTION_DAYS.stream().sorted().toList());
            return null;
        }
        return (int) days;
    }

    private static Map<String, String> tags(Object value, List<String> problems) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            problems.add("tags: must be an object of string keys and string values, not " + typeOf(value));
            return Map.of();
        }
        if (map.size() > MAX_TAGS) {
            problems.add("tags: at most " + MAX_TAGS + " tags (got " + map.size() + ")");
            return Map.of();
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = String.valueOf(entry.getKey());
            String label = "tags." + printable(key);
            if (key.isEmpty() || key.length() > 128 || !TAG_TEXT.matcher(key).matches()) {
                problems.add(label + ": key must be 1-128 characters of letters, digits, spaces and _.:/=+-@");
            } else if (key.regionMatches(true, 0, "aws:", 0, 4)) {
                problems.add(label + ": keys starting with 'aws:' are reserved by AWS");
            } else if (key.equals(TeamRequest.TEAM_TAG)) {
                problems.add(label + ": reserved; onboarding sets it to the team name");
            }
            if (!(entry.getValue() instanceof String text)) {
                problems.add(label + ": value must be a string, not " + typeOf(entry.getValue()));
                continue;
            }
            if (text.length() > 256 || !TAG_TEXT.matcher(text).matches()) {
                problems.add(label + ": value must be 0-256 characters of letters, digits, spaces and _.:/=+-@");
            }
            tags.put(key, text);
        }
        return tags;
    }

    /**
     * The team's people, each {"userName": …}: a user profile name, unique in the team ignoring case (profile
     * names that differ only in case would be two people SageMaker and readers of CloudTrail confuse). Null when
     * the field is absent: the membership is then left as it is.
     */
    private static List<String> members(Object value, List<String> problems) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof List<?> list)) {
            problems.add("members: must be a list of objects {\"userName\": …}, not " + typeOf(value));
            return null;
        }
        if (list.size() > MAX_MEMBERS) {
            problems.add("members: at most " + MAX_MEMBERS + " members (got " + list.size() + ")");
            return null;
        }
        List<String> names = new ArrayList<>();
        Map<String, Integer> seen = new java.util.HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            String label = "members[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> member)) {
                problems.add(label + ": must be an object {\"userName\": …}, not " + typeOf(list.get(i)));
                continue;
            }
            for (Object field : member.keySet()) {
                if (!"userName".equals(field)) {
                    problems.add(label + "." + printable(String.valueOf(field)) + ": unknown field (allowed: userName)");
                }
            }
            Object name = member.get("userName");
            if (name == null) {
                problems.add(label + ".userName: required");
            } else if (!(name instanceof String userName)) {
                problems.add(label + ".userName: must be a string, not " + typeOf(name));
            } else if (userName.length() > 63 || !USER_NAME.matcher(userName).matches()) {
                problems.add(label + ".userName: must be 1-63 ASCII letters, digits and hyphens, starting and"
                        + " ending with a letter or digit (SageMaker's user profile name rule)");
            } else {
                Integer earlier = seen.putIfAbsent(userName.toLowerCase(java.util.Locale.ROOT), i);
                if (earlier != null) {
                    problems.add(label + ".userName: repeats members[" + earlier + "] (names are compared ignoring case)");
                }
                names.add(userName);
            }
        }
        return names;
    }

    private int idleTimeoutMinutes(Object value, List<String> problems) {
        if (value == null) {
            return defaults.idleTimeoutMinutes();
        }
        if (!(value instanceof Integer || value instanceof Long)) {
            problems.add("idleTimeoutMinutes: must be a whole number, not " + typeOf(value));
            return 0;
        }
        long minutes = ((Number) value).longValue();
        if (minutes < IDLE_MINUTES_MIN || minutes > IDLE_MINUTES_MAX) {
            problems.add("idleTimeoutMinutes: must be " + IDLE_MINUTES_MIN + "-" + IDLE_MINUTES_MAX + " minutes");
            return 0;
        }
        return (int) minutes;
    }

    private static InvalidRequestException invalid(List<String> problems) {
        return new InvalidRequestException("Invalid onboarding request (" + problems.size()
                + (problems.size() == 1 ? " problem): " : " problems): ") + String.join("; ", problems));
    }

    /** A field name safe to print: short, and visible ASCII only. */
    private static String printable(String name) {
        String shown = name.length() > 40 ? name.substring(0, 40) + "…" : name;
        StringBuilder out = new StringBuilder();
        shown.codePoints().forEach(c -> {
            if (c >= 0x20 && c < 0x7f) {
                out.appendCodePoint(c);
            } else {
                out.append(String.format("\\u%04x", c));
            }
        });
        return out.toString();
    }

    private static String typeOf(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Number) {
            return "a number";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof List) {
            return "a list";
        }
        if (value instanceof Map) {
            return "an object";
        }
        return value.getClass().getSimpleName();
    }
}
