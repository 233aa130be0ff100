// `npm run demo`: the README's main job on a local AWS. Starts the patched moto_server (the one the
// tests use, scripts/lib/moto.js) on a free loopback port, seeds a VPC with two running instances,
// makes a self-signed certificate pair, then runs the AWS guide's HTTPS workflow with one
// `elbx create --https`, the guide's own listeners (HTTP 80 -> 80, HTTPS 443 -> HTTP 80): the
// certificate files uploaded to IAM, the TLS 1.2 security policy, a health check, two instances
// registered and waited for, and --verify. It runs the command again to show that nothing changes
// and destroys the load balancer. Every command is printed before it runs. In a terminal, moto and
// the files stay until Enter, so the printed commands can be pasted; otherwise the output says
// plainly that they are a transcript.
import './lib/quiet-sdk.js'

import {spawnSync} from 'node:child_process'
import {once} from 'node:events'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, relative, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {stripVTControlCharacters} from 'node:util'

import {EC2Client} from '@aws-sdk/client-ec2'

import {MOTO_MISSING, motoAvailable, startMoto} from './lib/moto.js'
import {makeSelfSignedCertificate, seedNetwork} from './lib/world.js'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const bin = join(root, 'bin', 'run.js')
const region = 'us-east-1'
const name = 'my-loadbalancer'

const bold = process.stdout.isTTY && !process.env.NO_COLOR
const say = (text) => process.stdout.write(bold ? `\n\u001b[1m${text}\u001b[0m\n` : `\n${text}\n`)
const show = (cmd) => process.stdout.write(`$ ${cmd}\n`)

async function seed(endpoint) {
  const ec2 = new EC2Client({region, endpoint, credentials: {accessKeyId: 'demo', secretAccessKey: 'demo'}})
  try {
    const network = await seedNetwork(ec2, {nameTag: 'elbx-demo-web', onStep: show})
    process.stdout.write(
      `VPC ${network.vpcId}, subnets ${network.subnetIds.join(', ')}, running instances ${network.instanceIds.join(', ')}\n`,
    )
    return {vpcId: network.vpcId, subnets: network.subnetIds, instances: network.instanceIds}
  } finally {
    ec2.destroy()
  }
}

/** Prints the command, one flag per line when it is long, as a person would paste it. */
function showElbx(args) {
  const words = args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))
  const line = `elbx ${words.join(' ')}`
  if (line.length <= 100) return show(line)
  const parts = [`elbx ${words[0]}`]
  for (const word of words.slice(1)) {
    if (word.startsWith('-')) parts.push(word)
    else parts[parts.length - 1] += ` ${word}`
  }
  show(parts.join(' \\\n    '))
}

/**
 * Runs the built elbx with its progress (stderr) going straight to the terminal. Its stdout is
 * shown too, and returned so the demo can check what a verification found.
 */
function elbx(args, env, {expect = [0]} = {}) {
  showElbx(args)
  const result = spawnSync(process.execPath, [bin, ...args], {
    env,
    stdio: ['inherit', 'pipe', 'inherit'],
    encoding: 'utf8',
  })
  process.stdout.write(result.stdout ?? '')
  if (!expect.includes(result.status)) throw new Error(`elbx ${args[0]} exited with ${result.status}`)
  return {status: result.status, stdout: result.stdout ?? ''}
}

/**
 * The printed commands name moto's endpoint and the demo's files, both gone once the demo ends. In
 * a terminal they stay until Enter, so the commands can be pasted in another one; otherwise the
 * output says plainly that they are a transcript.
 */
async function keepForPasting(endpoint, dir) {
  if (!(process.stdin.isTTY && process.stdout.isTTY)) {
    say('The commands above are a transcript of this run')
    process.stdout.write(
      `moto (${endpoint}) and the files in ${dir} are removed when the demo ends, so they will not\n` +
        'work pasted afterwards. To try them by hand, start the same local AWS with `npm run moto`\n' +
        '(its first line is the endpoint URL) and make a certificate pair with the openssl command above.\n',
    )
    return
  }
  say(`moto is still running at ${endpoint} and the files are in ${dir}`)
  process.stdout.write(
    'Paste the export line and any command above in another terminal (the load balancer is destroyed:\n' +
      "step 4's command makes it again). Press Enter here to stop moto and delete the files.\n",
  )
  process.stdin.resume()
  // Ctrl-C too: the finally block still stops moto and deletes the files.
  await Promise.race([once(process.stdin, 'data'), once(process, 'SIGINT')])
  process.stdin.pause()
}

async function main() {
  if (!motoAvailable()) {
    process.stderr.write(MOTO_MISSING + '\n')
    process.exitCode = 1
    return
  }
  say("1. Start a local AWS (moto_server with elbx's fidelity patches, as `npm run moto` does)")
  const moto = await startMoto()
  process.stdout.write(`moto_server listening on ${moto.endpoint}. The commands below run with\n`)
  show(
    `export AWS_ENDPOINT_URL=${moto.endpoint} AWS_REGION=${region} AWS_ACCESS_KEY_ID=demo AWS_SECRET_ACCESS_KEY=demo`,
  )
  process.stdout.write(`and elbx is ${relative(process.cwd(), bin) || bin} of this checkout.\n`)
  const dir = mkdtempSync(join(tmpdir(), 'elbx-demo-'))
  try {
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dir,
      AWS_ACCESS_KEY_ID: 'demo',
      AWS_SECRET_ACCESS_KEY: 'demo',
      AWS_REGION: region,
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      ...(process.env.NO_COLOR ? {NO_COLOR: process.env.NO_COLOR} : {}),
    }

    say('2. Seed a VPC with two running instances')
    const network = await seed(moto.endpoint)

    say('3. Make a self-signed certificate pair')
    const {certFile, keyFile} = makeSelfSignedCertificate(dir, {days: 30, onStep: show})

    const workflow = [
      'create',
      '--name',
      name,
      // The guide's listeners: HTTP 80 -> HTTP 80 and HTTPS 443 -> HTTP 80 (TLS ends at the load balancer).
      '--https',
      '--certificate-file',
      certFile,
      '--private-key-file',
      keyFile,
      '--ssl-policy',
      'ELBSecurityPolicy-TLS-1-2-2017-01',
      '--health-check',
      'HTTP:80/ping',
      '--health-interval',
      '10',
      '--health-timeout',
      '3',
      '--instances',
      network.instances.join(','),
      '--subnets',
      network.subnets.join(','),
      '--tag',
      'project=elbx-demo',
      '--wait',
      'any',
    ]

    say("4. The guide's whole workflow in one command, then verify it")
    process.stdout.write(
      'Certificate uploaded to IAM, security group, the HTTP 80 and HTTPS 443 -> HTTP 80 listeners,\n' +
        'TLS 1.2 policy, health check, attributes, tags, two instances registered and waited for.\n' +
        "--verify then checks it end to end. moto's DNS names do not resolve, so its DNS check fails\n" +
        'and elbx exits 4 (verification failed) here; against AWS the same command goes on to probe\n' +
        'both listeners and the SSL policy. Any other exit code fails the demo.\n',
    )
    const verified = elbx([...workflow, '--verify'], env, {expect: [0, 4]})
    if (verified.status === 4) {
      // Exit 4 is expected only for the DNS check; any other failed check is a real failure.
      // In a terminal elbx colours its output (stderr is the terminal): read the words only.
      const plain = stripVTControlCharacters(verified.stdout)
      const failed = plain.split('\n').filter((l) => l.startsWith('[FAIL]'))
      if (failed.length !== 1 || !failed[0].startsWith('[FAIL] DNS name resolves')) {
        throw new Error(`verification failed on more than DNS:\n${failed.join('\n')}`)
      }
      process.stdout.write(
        '\nExit 4 as expected: only the DNS check failed (moto has no DNS); the load balancer is kept.\n',
      )
    }

    say('5. Run it again: every step is already in place, nothing changes')
    const rerun = elbx(workflow, env)
    if (!/already in place, nothing changed/.test(stripVTControlCharacters(rerun.stdout)))
      throw new Error('the rerun changed something: it should report every step unchanged')

    say('6. Destroy it (the instances keep running)')
    elbx(['destroy', '--name', name, '--yes', '--delete-certificate'], env)
  } finally {
    await keepForPasting(moto.endpoint, dir)
    say('7. Stop moto_server')
    await moto.stop()
    rmSync(dir, {recursive: true, force: true})
    process.stdout.write('Done.\n')
  }
}

main().catch((error) => {
  process.stderr.write(`demo failed: ${error.message}\n`)
  process.exitCode = 1
})
