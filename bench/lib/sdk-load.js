// What loading the AWS SDK costs a command: each client module imported alone in a fresh Node.js
// process, and all of them together as src/aws/clients.ts loads them for every AWS command.
import {runTimed} from './process.js'
import {median} from './stats.js'

export const SDK_MODULES = [
  '@aws-sdk/client-elastic-load-balancing',
  '@aws-sdk/client-ec2',
  '@aws-sdk/client-iam',
  '@aws-sdk/client-acm',
  '@aws-sdk/credential-providers',
]

/** Milliseconds to import the modules, measured inside the child so node's own start-up is left out. */
async function importMs(modules, env) {
  const script = `const t = performance.now(); for (const m of ${JSON.stringify(modules)}) await import(m); console.log(performance.now() - t)`
  const result = await runTimed(process.execPath, ['--input-type=module', '-e', script], {
    env,
    timeoutMs: 60_000,
  })
  if (result.exitCode !== 0)
    throw new Error(`importing ${modules.join(', ')} failed: ${result.stderr.trim()}`)
  return Number(result.stdout.trim())
}

export async function measureSdkLoad({runs, env}) {
  const sets = [...SDK_MODULES.map((m) => [m]), SDK_MODULES]
  const rows = []
  for (const modules of sets) {
    const samples = []
    for (let i = 0; i < runs; i++) samples.push(await importMs(modules, env))
    rows.push({
      modules: modules.length === 1 ? modules[0] : 'all of the above',
      medianMs: Math.round(median(samples)),
    })
  }
  return rows
}
