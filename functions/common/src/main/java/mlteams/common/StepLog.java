package mlteams.common;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;

/**
 * Progress lines through the Lambda runtime's logger. With the function's log format set to JSON (see
 * template.yaml) each line becomes a structured record with its level, at no cost in dependencies.
 */
public final class StepLog {

    private final LambdaLogger logger;

    public StepLog(LambdaLogger logger) {
        this.logger = logger;
    }

    public void info(String format, Object... args) {
        logger.log(args.length == 0 ? format : String.format(format, args), LogLevel.INFO);
    }

    public void warn(String format, Object... args) {
        logger.log(args.length == 0 ? format : String.format(format, args), LogLevel.WARN);
    }
}
