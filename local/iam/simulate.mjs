// Evaluates IAM requests as AWS would, with @cloud-copilot/iam-simulate. Test tooling only (AGPL-3.0): never
// bundled into a function.
//
// stdin: a JSON array of cases {id, principal, action, resource, accountId, context, identityPolicies:
//   [{name, policy}], resourcePolicy?, permissionBoundaries?}; stdout: a JSON array of {id, decision,
//   ignoredContextKeys, standIns, errors, explain}.
//
// Known gap of iam-simulate 0.1.173: condition keys whose variable part follows a colon
// (kms:EncryptionContext:<key>) are not recognised; a condition on one fails as "missing" and the key is reported
// as ignored. So that such conditions are still evaluated, each is renamed, in the policies and in the request
// alike, to a global key that neither uses (aws:SourceVpcArn, aws:PrincipalArn, …). The operator and
// values stay as written, so a wrong ARN pattern still denies. Every rename is reported back (standIns), and a
// key that is still ignored after it fails the case on the Java side.
import { runSimulation } from '@cloud-copilot/iam-simulate'

const VARIABLE_AFTER_COLON = /^kms:EncryptionContext:.+$/i
const STAND_INS = ['aws:SourceVpcArn', 'aws:PrincipalArn', 'aws:SourceOwner', 'aws:CalledViaFirst']

function conditionKeys(policy) {
  const keys = new Set()
  for (const statement of [policy?.Statement ?? []].flat()) {
    for (const byKey of Object.values(statement.Condition ?? {})) Object.keys(byKey).forEach((k) => keys.add(k))
  }
  return keys
}

function renameKeys(policy, renames) {
  if (!policy) return policy
  const copy = structuredClone(policy)
  for (const statement of [copy.Statement ?? []].flat()) {
    for (const [operator, byKey] of Object.entries(statement.Condition ?? {})) {
      statement.Condition[operator] = Object.fromEntries(
        Object.entries(byKey).map(([k, v]) => [renames.get(k.toLowerCase()) ?? k, v]))
    }
  }
  return copy
}

function withStandIns(c) {
  const policies = [c.resourcePolicy, ...(c.identityPolicies ?? []).map((p) => p.policy)]
  const used = new Set([...policies.flatMap((p) => [...conditionKeys(p)]), ...Object.keys(c.context ?? {})]
    .map((k) => k.toLowerCase()))
  const free = STAND_INS.filter((k) => !used.has(k.toLowerCase()))
  const renames = new Map()
  for (const key of used) {
    if (VARIABLE_AFTER_COLON.test(key) && !renames.has(key)) {
      if (free.length === 0) throw new Error(`case ${c.id}: no free stand-in key for ${key}`)
      renames.set(key, free.shift())
    }
  }
  const context = Object.fromEntries(Object.entries(c.context ?? {})
    .map(([k, v]) => [renames.get(k.toLowerCase()) ?? k, v]))
  return {
    standIns: Object.fromEntries(renames),
    simulation: {
      request: { principal: c.principal, action: c.action,
        resource: { resource: c.resource, accountId: c.accountId }, contextVariables: context },
      identityPolicies: (c.identityPolicies ?? []).map((p) => ({ name: p.name, policy: renameKeys(p.policy, renames) })),
      permissionBoundaryPolicies: c.permissionBoundaries,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: renameKeys(c.resourcePolicy, renames),
    },
  }
}

function explain(analysis) {
  const statements = (part) => [...(part?.allowStatements ?? []), ...(part?.denyStatements ?? [])]
    .map((s) => `${s.explain?.effect ?? s.statement?.Effect} ${s.statement?.Sid ?? s.explain?.identifier ?? ''}`.trim())
  return { identity: statements(analysis?.identityAnalysis), resource: statements(analysis?.resourceAnalysis) }
}

let input = ''
for await (const chunk of process.stdin) input += chunk
const results = []
for (const c of JSON.parse(input)) {
  const { standIns, simulation } = withStandIns(c)
  const response = await runSimulation(simulation, {})
  if (response.resultType === 'error') {
    results.push({ id: c.id, decision: 'Error', errors: response.errors, standIns, ignoredContextKeys: [] })
  } else {
    const single = response.resultType === 'single' ? [response.result] : response.results
    results.push({ id: c.id, decision: response.overallResult, standIns,
      ignoredContextKeys: [...new Set(single.flatMap((r) => r.ignoredContextKeys ?? []))],
      explain: explain(single[0]?.analysis) })
  }
}
process.stdout.write(JSON.stringify(results))
