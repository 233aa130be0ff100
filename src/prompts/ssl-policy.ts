/** Questions `elbx policy ssl` asks in a terminal when a flag is missing (never without a TTY). */
import {inquirer} from './inquirer.js'

import {PREDEFINED_SSL_POLICIES, RECOMMENDED_SSL_POLICY} from '../policy/predefined-ssl-policies.js'

// Prompts draw on stderr: stdout carries only the result.
const context = {output: process.stderr}

/** A predefined SSL security policy, the recommended one first. */
export async function askPredefinedSslPolicy(signal?: AbortSignal): Promise<string> {
  const {select} = await inquirer()
  return select(
    {
      message: 'SSL security policy',
      default: RECOMMENDED_SSL_POLICY,
      choices: PREDEFINED_SSL_POLICIES.map((p) => ({
        value: p.name,
        name: p.name === RECOMMENDED_SSL_POLICY ? `${p.name} (recommended: TLS 1.2 only)` : p.name,
        description: p.protocols ? `Protocols: ${p.protocols.join(', ')}` : 'Older policy: AWS describes it',
      })),
    },
    {...context, ...(signal ? {signal} : {})},
  )
}
