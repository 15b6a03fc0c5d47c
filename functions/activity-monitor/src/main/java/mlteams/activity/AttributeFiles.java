package mlteams.activity;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import mlteams.common.AwsClients;
import mlteams.common.ClientSettings;
import mlteams.common.TeamNames;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * scripts/attribute.sh: offline forensics over CloudTrail files downloaded from S3 (or exported as JSON lines). The
 * same {@link Attributor} and {@link SageMakerTeamLookup} as the Lambda (SageMaker, then the domain records in Parameter
 * Store), against an endpoint (moto) or real AWS.
 *
 * <p>Prints one JSON line per record on stdout: file, record (its number in the file), eventID, eventTime,
 * eventSource, eventName, person, team, evidence {person, team}, domainId, unattributedReason, errorCode, readOnly,
 * attributed; or, for
 * a record that cannot be attributed at all, file, record and error. The run goes on after a bad record. Last, a
 * count line on stderr. Exit status: 0; 1 when a file could not be read or a team lookup failed; 2 on bad usage.
 */
public final class AttributeFiles {

    private static final String USAGE = """
            usage: scripts/attribute.sh [--endpoint URL] [--region REGION] [--domain-prefix PREFIX]
                                        [--parameter-prefix PREFIX] FILE...
              FILE            a CloudTrail log file ({"Records":[...]}), or JSON lines of records; gzipped or not
              --endpoint URL  an AWS-compatible endpoint (moto); without it, real AWS with the default credential chain
              --region R      default: AWS_REGION, then the SDK's region chain (us-east-1 with --endpoint)
              --domain-prefix the domain name prefix teams' domains carry (default: DOMAIN_NAME_PREFIX or ml-team-)
              --parameter-prefix onboarding's ParameterPrefix: the domain records under PREFIX-domains name the teams
                              of deleted domains and of execution roles (default: PARAMETER_PREFIX or /ml-teams)""";

    private static final JsonFactory JSON = JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

    private final Attributor attributor;
    private final JsonGenerator json; // one line of JSON per record
    private long total;
    private long attributed;
    private long unattributed;
    private long malformed;
    private long failed;
    private boolean unreadableFile;

    AttributeFiles(TeamLookup lookup, Writer out) {
        this.attributor = new Attributor(lookup);
        try {
            this.json = JSON.createGenerator(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        json.setRootValueSeparator(null); // each line ends in '\n' instead
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream stdout, PrintStream stderr) {
        URI endpoint = null;
        String region = null;
        String prefix = envOr("DOMAIN_NAME_PREFIX", TeamNames.DEFAULT_DOMAIN_PREFIX);
        String parameterPrefix = envOr("PARAMETER_PREFIX", TeamNames.DEFAULT_PARAMETER_PREFIX);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--endpoint", "--region", "--domain-prefix", "--parameter-prefix" -> {
                    if (i + 1 >= args.length) {
                        stderr.println(a + " needs a value\n" + USAGE);
                        return 2;
                    }
                    String value = args[++i];
                    if (a.equals("--endpoint")) {
                        endpoint = URI.create(value);
                    } else if (a.equals("--region")) {
                        region = value;
                    } else if (a.equals("--parameter-prefix")) {
                        parameterPrefix = value;
                    } else {
                        prefix = value;
                    }
                }
                case "-h", "--help" -> {
                    stdout.println(USAGE);
                    return 0;
                }
                default -> {
                    if (a.startsWith("--")) {
                        stderr.println("unknown option " + a + "\n" + USAGE);
                        return 2;
                    }
                    files.add(Path.of(a));
                }
            }
        }
        if (files.isEmpty()) {
            stderr.println(USAGE);
            return 2;
        }
        ClientSettings settings = settings(endpoint, region);
        try (SageMakerClient sageMaker = AwsClients.build(SageMakerClient.builder(), settings);
                SsmClient ssm = AwsClients.build(SsmClient.builder(), settings)) {
            Writer writer = new BufferedWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), 64 * 1024);
            AttributeFiles tool = new AttributeFiles(new SageMakerTeamLookup(sageMaker, ssm, prefix, parameterPrefix),
                    writer);
            for (Path file : files) {
                tool.file(file, stderr);
            }
            tool.flush();
            stderr.println(tool.countLine());
            return tool.unreadableFile || tool.failed > 0 ? 1 : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SdkException e) {
            stderr.println("cannot reach SageMaker or Parameter Store: " + e.getMessage());
            return 1;
        }
    }

    private static ClientSettings settings(URI endpoint, String region) {
        String configured = region != null ? region : System.getenv("AWS_REGION");
        if (endpoint != null) {
            return ClientSettings.emulator(endpoint, Region.of(configured != null ? configured : "us-east-1"));
        }
        Region resolved = configured != null ? Region.of(configured) : new DefaultAwsRegionProviderChain().getRegion();
        return new ClientSettings(resolved, DefaultCredentialsProvider.builder().build(), null);
    }

    void file(Path file, PrintStream stderr) throws IOException {
        String name = file.toString();
        byte[] data;
        try {
            data = CloudTrailFiles.decompressIfGzipped(Files.readAllBytes(file));
        } catch (IOException e) {
            stderr.println("cannot read " + name + ": " + e);
            unreadableFile = true;
            return;
        }
        CloudTrailFiles.split(data, new CloudTrailFiles.Sink() {
            @Override
            public void record(int ordinal, byte[] buffer, int offset, int length) {
                attribute(name, ordinal, buffer, offset, length);
            }

            @Override
            public void unreadable(int ordinal, String reason) {
                unreadableFile = true;
                total++;
                malformed++;
                errorLine(name, ordinal, "malformed: " + reason);
            }
        });
    }

    private void attribute(String file, int ordinal, byte[] buffer, int offset, int length) {
        total++;
        ActivityRecord r;
        try {
            r = attributor.attribute(buffer, offset, length);
        } catch (MalformedRecordException e) {
            malformed++;
            errorLine(file, ordinal, "malformed: " + e.getMessage());
            return;
        } catch (SdkException e) {
            failed++;
            errorLine(file, ordinal, "team lookup failed: " + CloudTrailFiles.firstLine(e.getMessage()));
            return;
        }
        if (r.attributed()) {
            attributed++;
        } else {
            unattributed++;
        }
        try {
            json.writeStartObject();
            json.writeStringField("file", file);
            json.writeNumberField("record", ordinal);
            nullable("eventID", r.eventId());
            optional("eventTime", r.eventTime());
            nullable("eventSource", r.eventSource());
            nullable("eventName", r.eventName());
            nullable("person", r.person());
            nullable("team", r.team());
            json.writeObjectFieldStart("evidence");
            nullable("person", r.personEvidence());
            nullable("team", r.teamEvidence());
            json.writeEndObject();
            optional("domainId", r.domainId());
            optional("unattributedReason", r.unattributedReason());
            optional("errorCode", r.errorCode());
            json.writeBooleanField("readOnly", r.readOnly());
            json.writeBooleanField("attributed", r.attributed());
            json.writeEndObject();
            json.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void errorLine(String file, int ordinal, String error) {
        try {
            json.writeStartObject();
            json.writeStringField("file", file);
            json.writeNumberField("record", ordinal);
            json.writeStringField("error", error);
            json.writeEndObject();
            json.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void nullable(String name, String value) throws IOException {
        json.writeStringField(name, value); // writes null for null
    }

    private void optional(String name, String value) throws IOException {
        if (value != null) {
            json.writeStringField(name, value);
        }
    }

    void flush() throws IOException {
        json.flush();
    }

    String countLine() {
        return "[attribute] total=" + total + " attributed=" + attributed + " unattributed=" + unattributed
                + " malformed=" + malformed + (failed > 0 ? " lookupFailed=" + failed : "");
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
