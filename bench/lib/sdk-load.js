// What loading the AWS SDK costs: each client imported from its package's index, as an unbundled
// tool would, beside the bundled module elbx loads for it (dist/aws/sdk/, scripts/build.js), each
// in a fresh Node.js process; then all of them together.
import {resolve} from 'node:path'
import {pathToFileURL} from 'node:url'

import {runTimed} from './process.js'
import {median} from './stats.js'

/** [what, package, elbx's bundled module] */
export const SDK_MODULES = [
  ['ELB client', '@aws-sdk/client-elastic-load-balancing', 'dist/aws/sdk/elb.js'],
  ['EC2 client', '@aws-sdk/client-ec2', 'dist/aws/sdk/ec2.js'],
  ['IAM client', '@aws-sdk/client-iam', 'dist/aws/sdk/iam.js'],
  ['ACM client', '@aws-sdk/client-acm', 'dist/aws/sdk/acm.js'],
  ['credential chain', '@aws-sdk/credential-providers', 'dist/aws/sdk/credentials.js'],
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

async function medianImportMs(modules, {runs, env}) {
  const samples = []
  for (let i = 0; i < runs; i++) samples.push(await importMs(modules, env))
  return Math.round(median(samples))
}

const bundled = (path) => pathToFileURL(resolve(path)).href

/** @returns {Promise<{what: string, packageMs: number, elbxMs: number}[]>} */
export async function measureSdkLoad({runs, env}) {
  const rows = []
  for (const [what, pkg, dist] of SDK_MODULES)
    rows.push({
      what,
      packageMs: await medianImportMs([pkg], {runs, env}),
      elbxMs: await medianImportMs([bundled(dist)], {runs, env}),
    })
  rows.push({
    what: 'all of the above',
    packageMs: await medianImportMs(
      SDK_MODULES.map(([, pkg]) => pkg),
      {runs, env},
    ),
    elbxMs: await medianImportMs(
      SDK_MODULES.map(([, , dist]) => bundled(dist)),
      {runs, env},
    ),
  })
  return rows
}
