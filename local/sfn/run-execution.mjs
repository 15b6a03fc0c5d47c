// Runs one execution of a real ASL definition with aws-local-stepfunctions.
// Each Task is bound to a Java handler served by the local Lambda host (POST {host}/invoke/{Function}).
// A handler error comes back as {errorType, errorMessage} and is thrown as an Error whose name is the
// errorType, which is how Retry and Catch see a Lambda function error.
//
// Usage: node run-execution.mjs DEFINITION.json INPUT.json LAMBDA_HOST_URL [OPTIONS_JSON]
//   OPTIONS_JSON: {"waitTimeOverrides": {"State": ms}, "retryIntervalOverrides": {"State": ms},
//                  "executionName": "name"}
// Prints one JSON line per execution event on stdout, then {"type":"Result",...}; exits 0 on success.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { StateMachine } from 'aws-local-stepfunctions';

const [definitionPath, inputPath, lambdaHost, optionsJson] = process.argv.slice(2);
if (!definitionPath || !inputPath || !lambdaHost) {
  console.error('usage: run-execution.mjs DEFINITION.json INPUT.json LAMBDA_HOST_URL [OPTIONS_JSON]');
  process.exit(2);
}
const options = optionsJson ? JSON.parse(optionsJson) : {};

// ${NameFunctionArn} placeholders (DefinitionSubstitutions in template.yaml) become local function ARNs.
const definition = JSON.parse(
  readFileSync(definitionPath, 'utf8').replace(
    /\$\{(\w+)FunctionArn\}/g,
    (_, name) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
  ),
);

function functionName(resource) {
  const match = /:function:([^:]+)/.exec(resource);
  if (!match) throw new Error(`Task resource is not a Lambda function ARN: ${resource}`);
  return match[1];
}

// Every Task state, in nested Parallel and Map states too, bound by its state name.
function bindTasks(states, handlers) {
  for (const [name, state] of Object.entries(states)) {
    if (state.Type === 'Task') {
      const fn = functionName(state.Resource);
      handlers[name] = async (input) => invoke(fn, input);
    } else if (state.Type === 'Parallel') {
      state.Branches.forEach((branch) => bindTasks(branch.States, handlers));
    } else if (state.Type === 'Map') {
      bindTasks((state.ItemProcessor ?? state.Iterator).States, handlers);
    }
  }
  return handlers;
}

async function invoke(fn, input) {
  const response = await fetch(`${lambdaHost}/invoke/${fn}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  const body = await response.json();
  if (response.status !== 200) {
    const error = new Error(body.errorMessage);
    error.name = body.errorType;
    throw error;
  }
  return body;
}

const emit = (line) => process.stdout.write(JSON.stringify(line) + '\n');

const input = JSON.parse(readFileSync(inputPath, 'utf8'));
// The Context Object a real execution has ($$.Execution.Id is what the team claim records).
const executionName = options.executionName ?? randomUUID();
const context = {
  Execution: {
    Id: `arn:aws:states:us-east-1:000000000000:execution:local:${executionName}`,
    Name: executionName,
    Input: input,
    StartTime: new Date().toISOString(),
  },
  StateMachine: { Id: 'arn:aws:states:us-east-1:000000000000:stateMachine:local', Name: 'local' },
};
const machine = new StateMachine(definition);
const execution = machine.run(input, {
  context,
  overrides: {
    taskResourceLocalHandlers: bindTasks(definition.States, {}),
    waitTimeOverrides: options.waitTimeOverrides ?? {},
    retryIntervalOverrides: options.retryIntervalOverrides ?? {},
  },
});

// The execution's own failure (error name and cause) is in its ExecutionFailed event.
let failure = null;
const events = (async () => {
  for await (const event of execution.eventLogs) {
    if (event.type === 'ExecutionFailed') failure = { error: event.Error, cause: String(event.Cause ?? '') };
    const line = { type: event.type, timestamp: event.timestamp };
    if (event.state) Object.assign(line, { state: event.state.name, stateType: event.state.type });
    if (event.parentState) line.parentState = event.parentState.name;
    if (event.Error !== undefined) Object.assign(line, { error: event.Error, cause: String(event.Cause ?? '') });
    if (event.retry) line.attempt = event.retry.attempt;
    emit(line);
  }
})();

try {
  const output = await execution.result;
  await events;
  emit({ type: 'Result', status: 'SUCCEEDED', output });
} catch (error) {
  await events.catch(() => {});
  emit({ type: 'Result', status: 'FAILED', ...(failure ?? { error: error.name, cause: error.message }) });
  process.exitCode = 1;
}
