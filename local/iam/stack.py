"""The stack as IAM would see it after `sam deploy`, printed as JSON.

Runs SAM's own transform (through cfn-lint's wrapper, the one `sam validate --lint` uses), so the roles SAM
generates, with their managed policies, are in the result. Then resolves parameters, conditions and intrinsic
functions to concrete names and ARNs for one made-up account, Region and stack, as CloudFormation would name
them. Physical names CloudFormation generates are made deterministic here (<stack>-<LogicalId>).

    python3 local/iam/stack.py TEMPLATE [PARAMETERS_JSON]

Test tooling: never part of a deployment.
"""
import json
import os
import sys

ACCOUNT = "123456789012"
REGION = "us-east-1"
PARTITION = "aws"
STACK = "ml-platform"
KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab"

os.environ.setdefault("AWS_DEFAULT_REGION", REGION)  # SAM's transform needs a Region

from cfnlint.decode import decode  # noqa: E402
from cfnlint.template.transforms._sam import Transform  # noqa: E402

PSEUDO = {
    "AWS::AccountId": ACCOUNT, "AWS::Region": REGION, "AWS::Partition": PARTITION, "AWS::StackName": STACK,
    "AWS::URLSuffix": "amazonaws.com", "AWS::StackId":
        f"arn:{PARTITION}:cloudformation:{REGION}:{ACCOUNT}:stack/{STACK}/00000000-0000-0000-0000-000000000000",
}
NO_VALUE = object()


def arn(service, resource, region=REGION, account=ACCOUNT):
    return f"arn:{PARTITION}:{service}:{region}:{account}:{resource}"


class Stack:
    def __init__(self, template, parameters):
        self.template = template
        self.resources = template["Resources"]
        self.parameters = {}
        for name, spec in template.get("Parameters", {}).items():
            value = parameters.get(name, spec.get("Default"))
            if value is None:
                sys.exit(f"parameter {name} has no default: give it in PARAMETERS_JSON")
            if spec.get("Type") == "CommaDelimitedList" and isinstance(value, str):
                value = value.split(",")
            self.parameters[name] = value if isinstance(value, list) else str(value)
        self.conditions = {}
        for name in template.get("Conditions", {}):
            self.condition(name)

    def condition(self, name):
        if name not in self.conditions:
            self.conditions[name] = bool(self.resolve(self.template["Conditions"][name]))
        return self.conditions[name]

    def name(self, logical_id):
        props = self.resources[logical_id].get("Properties", {})
        explicit = {
            "AWS::Logs::LogGroup": "LogGroupName", "AWS::IAM::Role": "RoleName", "AWS::S3::Bucket": "BucketName",
            "AWS::Lambda::Function": "FunctionName", "AWS::SQS::Queue": "QueueName", "AWS::Events::Rule": "Name",
            "AWS::Events::EventBus": "Name", "AWS::StepFunctions::StateMachine": "StateMachineName",
            "AWS::DynamoDB::Table": "TableName", "AWS::IAM::ManagedPolicy": "ManagedPolicyName",
            "AWS::SNS::Topic": "TopicName",
        }.get(self.resources[logical_id]["Type"])
        if explicit and explicit in props:
            return self.resolve(props[explicit])
        if self.resources[logical_id]["Type"] == "AWS::KMS::Key":
            return KEY_ID
        generated = f"{STACK}-{logical_id}"
        return generated.lower() if self.resources[logical_id]["Type"] == "AWS::S3::Bucket" else generated

    def ref(self, target):
        if target in PSEUDO:
            return PSEUDO[target]
        if target == "AWS::NoValue":
            return NO_VALUE
        if target in self.parameters:
            return self.parameters[target]
        kind = self.resources[target]["Type"]
        name = self.name(target)
        if kind in ("AWS::Lambda::Version", "AWS::Lambda::Alias"):
            suffix = "1" if kind == "AWS::Lambda::Version" else "live"
            return arn("lambda", f"function:{self.function_of(target)}:{suffix}")
        return {
            "AWS::KMS::Key": KEY_ID,
            "AWS::SQS::Queue": f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{name}",
            "AWS::SNS::Topic": arn("sns", name),
            "AWS::StepFunctions::StateMachine": arn("states", f"stateMachine:{name}"),
            "AWS::IAM::ManagedPolicy": arn("iam", f"policy/{name}", region=""),
            "AWS::Lambda::Permission": name,
        }.get(kind, name)

    def function_of(self, logical_id):
        props = self.resources[logical_id]["Properties"]
        return self.resolve(props["FunctionName"]).split(":function:")[-1].split(":")[0]

    def get_att(self, target, attribute):
        kind = self.resources[target]["Type"]
        name = self.name(target)
        if attribute == "Arn":
            return {
                "AWS::IAM::Role": arn("iam", f"role/{name}", region=""),
                "AWS::Lambda::Function": arn("lambda", f"function:{name}"),
                "AWS::Logs::LogGroup": arn("logs", f"log-group:{name}:*"),
                "AWS::S3::Bucket": f"arn:{PARTITION}:s3:::{name}",
                "AWS::KMS::Key": arn("kms", f"key/{KEY_ID}"),
                "AWS::SQS::Queue": arn("sqs", name),
                "AWS::Events::Rule": arn("events", f"rule/{name}"),
                "AWS::Events::EventBus": arn("events", f"event-bus/{name}"),
                "AWS::StepFunctions::StateMachine": arn("states", f"stateMachine:{name}"),
                "AWS::DynamoDB::Table": arn("dynamodb", f"table/{name}"),
                "AWS::SNS::Topic": arn("sns", name),
            }[kind]
        if attribute == "Version":
            return "1"
        if attribute in ("QueueName", "Name", "RoleId"):
            return name
        raise ValueError(f"no stand-in for {target}.{attribute}")

    def sub(self, text, variables):
        out, i = [], 0
        while i < len(text):
            start = text.find("${", i)
            if start < 0:
                out.append(text[i:])
                break
            end = text.index("}", start)
            out.append(text[i:start])
            key = text[start + 2:end]
            if key.startswith("!"):
                out.append("${" + key[1:] + "}")
            elif key in variables:
                out.append(str(variables[key]))
            elif "." in key and key.split(".")[0] in self.resources:
                out.append(str(self.get_att(*key.split(".", 1))))
            else:
                value = self.ref(key)
                out.append(",".join(value) if isinstance(value, list) else str(value))
            i = end + 1
        return "".join(out)

    def resolve(self, node):
        if isinstance(node, list):
            items = [self.resolve(n) for n in node]
            return [n for n in items if n is not NO_VALUE]
        if not isinstance(node, dict):
            return node
        if len(node) == 1:
            (key, value), = node.items()
            if key == "Ref":
                return self.ref(value)
            if key == "Fn::GetAtt":
                target, attribute = value.split(".", 1) if isinstance(value, str) else value
                return self.get_att(target, attribute)
            if key == "Fn::Sub":
                text, variables = (value, {}) if isinstance(value, str) else value
                return self.sub(text, {k: self.resolve(v) for k, v in variables.items()})
            if key == "Fn::Join":
                return value[0].join(str(v) for v in self.resolve(value[1]))
            if key == "Fn::Select":
                return self.resolve(value[1])[int(self.resolve(value[0]))]
            if key == "Fn::Split":
                return self.resolve(value[1]).split(value[0])
            if key == "Fn::If":
                return self.resolve(value[1] if self.condition(value[0]) else value[2])
            if key == "Fn::Equals":
                return self.resolve(value[0]) == self.resolve(value[1])
            if key == "Fn::Not":
                return not self.resolve(value[0])
            if key == "Fn::And":
                return all(self.resolve(v) for v in value)
            if key == "Fn::Or":
                return any(self.resolve(v) for v in value)
            if key == "Condition":
                return self.condition(value)
        resolved = {k: self.resolve(v) for k, v in node.items()}
        return {k: v for k, v in resolved.items() if v is not NO_VALUE}

    def resolved(self):
        out = {}
        for logical_id, resource in self.resources.items():
            if "Condition" in resource and not self.condition(resource["Condition"]):
                continue
            entry = {"Type": resource["Type"], "Properties": self.resolve(resource.get("Properties", {}))}
            for attribute in ("DeletionPolicy", "UpdateReplacePolicy", "DependsOn"):
                if attribute in resource:
                    entry[attribute] = resource[attribute]
            if resource["Type"] not in ("AWS::Lambda::Version", "AWS::Lambda::Permission"):
                entry["PhysicalName"] = self.name(logical_id)
            out[logical_id] = entry
        return {"Account": ACCOUNT, "Region": REGION, "Partition": PARTITION, "StackName": STACK,
                "Parameters": self.parameters, "Resources": out}


def main():
    path = sys.argv[1]
    parameters = json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
    template, problems = decode(path)
    if problems:
        sys.exit(f"cannot decode {path}: {problems}")
    transform = Transform(path, template, REGION)
    errors = transform.transform_template()
    if errors:
        sys.exit(f"SAM transform failed: {errors}")
    print(json.dumps(Stack(transform.template(), parameters).resolved(), default=str))


if __name__ == "__main__":
    main()
