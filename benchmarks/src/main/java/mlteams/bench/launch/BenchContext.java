package mlteams.bench.launch;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;

/** A minimal Lambda context; log lines go to stderr, which the benchmark keeps in a file. */
record BenchContext(String getFunctionName) implements Context {

    private static final LambdaLogger LOGGER = new LambdaLogger() {
        @Override public void log(String message) { System.err.println(message); }
        @Override public void log(byte[] message) { log(new String(message, StandardCharsets.UTF_8)); }
    };

    @Override public String getAwsRequestId() { return "00000000-0000-0000-0000-000000000000"; }
    @Override public String getLogGroupName() { return "/aws/lambda/" + getFunctionName; }
    @Override public String getLogStreamName() { return "benchmark"; }
    @Override public String getFunctionVersion() { return "1"; }
    @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:123456789012:function:" + getFunctionName; }
    @Override public CognitoIdentity getIdentity() { return null; }
    @Override public ClientContext getClientContext() { return null; }
    @Override public int getRemainingTimeInMillis() { return 60_000; }
    @Override public int getMemoryLimitInMB() { return 512; }
    @Override public LambdaLogger getLogger() { return LOGGER; }
}
