package mlteams.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import mlteams.common.AwsClients;
import mlteams.common.ClientSettings;
import mlteams.local.peers.MotoServer;
import mlteams.local.peers.RepoPaths;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * scripts/attribute.sh, run for real against moto, over the corpus's log file (plain and gzipped) and the whole
 * corpus as JSON lines (malformed and oversized records included): every record gets its expected person, team and
 * evidence, or its error line, and the count line adds up. The script runs on this build's classes
 * (MLTEAMS_ATTRIBUTE_CLASSPATH) rather than building inside the build.
 */
class AttributeScriptTest {

    private static final MotoServer moto = MotoServer.shared();
    private static SageMakerClient sageMaker;
    private static SsmClient ssm;
    private static Corpus corpus;

    @TempDir
    static Path dir;

    @BeforeAll
    static void domainsInMoto() {
        moto.reset();
        ClientSettings settings = ClientSettings.emulator(moto.endpoint(), Region.US_EAST_1);
        sageMaker = AwsClients.build(SageMakerClient.builder(), settings);
        ssm = AwsClients.build(SsmClient.builder(), settings);
        corpus = Corpus.inEmulator(sageMaker, ssm);
    }

    @AfterAll
    static void close() {
        sageMaker.close();
        ssm.close();
    }

    @Test
    void theScriptAttributesTheCorpusLogFilePlainAndGzippedAndTheCorpusAsJsonLines() throws Exception {
        Path plain = Files.writeString(dir.resolve("123456789012_CloudTrail_us-east-1_20261125T1420Z_Mu0KsOhtH1ar15ZZ.json"),
                corpus.sampleLogFile());
        Path gzipped = dir.resolve(plain.getFileName() + ".gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzipped))) {
            out.write(Files.readAllBytes(plain));
        }
        List<Corpus.Case> cases = corpus.cases();
        Path lines = Files.write(dir.resolve("corpus.jsonl"), cases.stream().map(Corpus.Case::recordJson).toList());

        ProcessBuilder builder = new ProcessBuilder("bash", RepoPaths.root().resolve("scripts/attribute.sh").toString(),
                "--endpoint", moto.endpoint().toString(), "--parameter-prefix", Corpus.PARAMETER_PREFIX,
                plain.toString(), gzipped.toString(), lines.toString())
                .redirectError(dir.resolve("stderr.txt").toFile())
                .redirectOutput(dir.resolve("stdout.txt").toFile());
        builder.environment().put("MLTEAMS_ATTRIBUTE_CLASSPATH", thisBuild());
        Process p = builder.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "attribute.sh did not finish");
        String stderr = Files.readString(dir.resolve("stderr.txt"));
        List<String> stdout = Files.readAllLines(dir.resolve("stdout.txt"));

        int wellFormed = (int) cases.stream().filter(c -> !c.malformed()).count();
        int malformed = cases.size() - wellFormed;
        assertEquals(2 * wellFormed + cases.size(), stdout.size(), stderr);

        Map<String, Corpus.Case> byEventId = new HashMap<>();
        for (Corpus.Case c : cases) {
            if (!c.malformed()) {
                byEventId.put(Corpus.parse(c.recordJson()).get("eventID").asText(), c);
            }
        }
        List<String> files = new ArrayList<>();
        int attributed = 0;
        for (String line : stdout) {
            JsonNode out = Corpus.parse(line);
            files.add(out.get("file").asText());
            int ordinal = out.get("record").asInt();
            if (out.has("error")) {
                Corpus.Case c = cases.get(ordinal - 1);
                assertTrue(out.get("file").asText().endsWith("corpus.jsonl"), line);
                assertTrue(c.malformed(), line);
                assertTrue(out.get("error").asText().contains(c.expect("malformed")), line);
                continue;
            }
            Corpus.Case c = byEventId.get(out.get("eventID").asText());
            assertNotNull(c, line);
            assertEquals(c.expect("person"), text(out.get("person")), c.name());
            assertEquals(c.expect("team"), text(out.get("team")), c.name());
            assertEquals(c.expect("personEvidence"), text(out.get("evidence").get("person")), c.name());
            assertEquals(c.expect("teamEvidence"), text(out.get("evidence").get("team")), c.name());
            assertEquals(c.expect("unattributedReason"), text(out.get("unattributedReason")), c.name());
            assertEquals(Corpus.parse(c.recordJson()).get("eventName").asText(), out.get("eventName").asText());
            boolean isAttributed = c.expect("person") != null && c.expect("team") != null;
            assertEquals(isAttributed, out.get("attributed").asBoolean(), c.name());
            attributed += isAttributed ? 1 : 0;
        }
        assertEquals(List.of(plain.toString(), gzipped.toString(), lines.toString()), files.stream().distinct().toList());

        int total = 2 * wellFormed + cases.size();
        String[] stderrLines = stderr.strip().split("\n");
        assertEquals("[attribute] total=" + total + " attributed=" + attributed + " unattributed="
                + (total - attributed - malformed) + " malformed=" + malformed, stderrLines[stderrLines.length - 1]);
        assertEquals(0, p.exitValue(), stderr);
    }

    @Test
    void aBrokenLogFileKeepsItsRecordsBeforeTheBreakAndFailsTheRunButNotTheOtherFiles() throws Exception {
        String log = corpus.sampleLogFile();
        int cut = log.indexOf("\"eventVersion\"", log.indexOf("\"eventVersion\"", log.indexOf("\"eventVersion\"") + 1) + 1);
        Path broken = Files.writeString(dir.resolve("broken.json"), log.substring(0, cut + 40));
        Path pretty = Files.writeString(dir.resolve("pretty.json"),
                Corpus.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(Corpus.parse(log)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = AttributeFiles.run(new String[] {"--endpoint", moto.endpoint().toString(), broken.toString(),
                dir.resolve("missing.json").toString(), pretty.toString()}, print(out), print(err));

        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, status);
        int wellFormed = (int) corpus.cases().stream().filter(c -> !c.malformed()).count();
        assertEquals(2 + 1 + wellFormed, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(2).contains("\"record\":3,\"error\":\"malformed: the log file is not valid JSON after record 2"),
                lines.get(2));
        assertTrue(lines.get(3).contains("pretty.json\",\"record\":1,\"eventID\""), lines.get(3));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("cannot read " + dir.resolve("missing.json")));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("total=" + (2 + 1 + wellFormed) + " attributed="));
    }

    @Test
    void usage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, AttributeFiles.run(new String[0], print(new ByteArrayOutputStream()), print(err)));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("usage: scripts/attribute.sh"));
        assertEquals(2, AttributeFiles.run(new String[] {"--endpoint"}, print(new ByteArrayOutputStream()), print(err)));
        assertEquals(2, AttributeFiles.run(new String[] {"--bogus", "x"}, print(new ByteArrayOutputStream()), print(err)));
    }

    private static PrintStream print(ByteArrayOutputStream out) {
        return new PrintStream(out, true, StandardCharsets.UTF_8);
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    /** This module's classes and its runtime dependencies, as Maven resolved them for this build. */
    private static String thisBuild() throws IOException {
        Path target = RepoPaths.root().resolve("functions/activity-monitor/target");
        return target.resolve("classes") + java.io.File.pathSeparator
                + Files.readString(target.resolve("runtime-classpath.txt")).strip();
    }
}
