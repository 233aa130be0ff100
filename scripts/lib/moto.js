// Starts and resets the local AWS elbx's tests, demo and benchmarks run against: moto_server with
// elbx's fidelity patches (scripts/moto/), which make moto's Classic Load Balancer behave as AWS
// documents where moto 5.2 does not. Plain JavaScript so that jest's globalSetup, `npm run demo`,
// `npm run moto` and bench/ share this one launcher.
import {spawn, spawnSync} from 'node:child_process'
import {accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {request} from 'node:http'
import {createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {basename, delimiter, dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const LAUNCHER = join(root, 'scripts', 'moto', 'elbx_moto.py')
/** elbx_moto.py's exit status when it refuses to start (an untested moto, a missing table). */
const EXIT_REFUSED = 3

/** A free TCP port on 127.0.0.1, found by letting the OS pick one. */
export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      )
    })
  })
}

export const MOTO_MISSING =
  "moto_server is not on PATH. elbx's tests, demo and benchmarks run against it: install it with\n" +
  '  pip install "moto[server]==5.2.1"\n' +
  'then run the command again.'

function onPath(command) {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const file = join(dir, command)
    try {
      accessSync(file, constants.X_OK)
      return file
    } catch {
      // not in this directory
    }
  }
  return undefined
}

let python
/**
 * The Python interpreter moto_server runs under, so that the patches import the same moto: the
 * script's shebang when it names a Python; otherwise (a pyenv or asdf shim is a shell script) the
 * interpreter reports itself, from a sitecustomize module that exits before moto loads.
 * Undefined when moto_server is not installed.
 */
export function motoPython() {
  if (python !== undefined) return python || undefined
  python = ''
  const script = onPath('moto_server')
  if (!script) return undefined
  const shebang = readFileSync(script, 'utf8').split('\n', 1)[0] ?? ''
  const words = shebang.startsWith('#!') ? shebang.slice(2).trim().split(/\s+/) : []
  const interpreter = basename(words[0] ?? '') === 'env' ? onPath(words[1] ?? '') : words[0]
  if (interpreter && /^python/.test(basename(interpreter))) {
    python = interpreter
    return python
  }
  const probe = mkdtempSync(join(tmpdir(), 'elbx-moto-probe-'))
  try {
    writeFileSync(
      join(probe, 'sitecustomize.py'),
      'import os, sys\nif os.environ.get("ELBX_MOTO_PROBE"):\n    print(sys.executable)\n    os._exit(0)\n',
    )
    const out = spawnSync(script, ['--help'], {
      env: {...process.env, ELBX_MOTO_PROBE: '1', PYTHONPATH: probe},
      encoding: 'utf8',
    })
    python = out.status === 0 ? (out.stdout.trim().split('\n').at(-1) ?? '') : ''
  } finally {
    rmSync(probe, {recursive: true, force: true})
  }
  return python || undefined
}

export function motoAvailable() {
  return motoPython() !== undefined
}

/**
 * elbx's SSL table, from src/policy itself (bundled with esbuild on the fly, as `npm run build`
 * does), in the form the patches read: one source for elbx and for the moto it tests against.
 */
export async function sslTable() {
  const {build} = await import('esbuild')
  const policy = join(root, 'src', 'policy')
  const out = await build({
    stdin: {
      contents: ["export * from './predefined-ssl-policies.ts'", "export * from './ssl-attributes.ts'"].join(
        '\n',
      ),
      resolveDir: policy,
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    logLevel: 'silent',
  })
  const t = await import(
    `data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`
  )
  return {
    awsDefaultPolicy: t.AWS_DEFAULT_SSL_POLICY,
    policyTypeName: t.SSL_NEGOTIATION_POLICY_TYPE,
    referenceAttribute: t.REFERENCE_SECURITY_POLICY,
    serverOrderAttribute: t.SERVER_DEFINED_CIPHER_ORDER,
    protocolPrefix: t.protocolAttribute(''),
    protocols: [...t.SSL_PROTOCOLS, ...t.DEPRECATED_PROTOCOLS],
    ciphers: [...t.SSL_CIPHERS],
    attributes: [...t.SSL_NEGOTIATION_ATTRIBUTES],
    predefinedPolicies: t.PREDEFINED_SSL_POLICIES.map((p) => ({
      name: p.name,
      protocols: p.protocols ?? [],
      ciphers: p.ciphers ?? [],
      serverOrder: p.serverOrder ?? false,
    })),
  }
}

/** Switches on the patches' optional behaviour (see scripts/moto/elbx_patches.py DEFAULT_OPTIONS). */
export async function setMotoOptions(endpoint, options) {
  const {status, body} = await motoApiPost(`${endpoint}/moto-api/elbx/options`, JSON.stringify(options))
  if (status < 200 || status >= 300) throw new Error(`moto options refused: HTTP ${status} ${body}`)
  return JSON.parse(body)
}

/**
 * Starts patched moto_server on 127.0.0.1 (a free port unless `port` is given) and waits until it
 * answers. `unpatched` (or ELBX_MOTO_UNPATCHED=1) runs moto as it is; `stderr: 'inherit'` shows
 * moto's log (npm run moto).
 * @param {{port?: number, unpatched?: boolean, stderr?: 'pipe' | 'inherit'}} [options]
 * @returns {Promise<{endpoint: string, port: number, patched: boolean, process: import('node:child_process').ChildProcess, stop: () => Promise<void>}>}
 */
export async function startMoto(options = {}) {
  const interpreter = motoPython()
  if (!interpreter) throw new Error(MOTO_MISSING)
  const unpatched = options.unpatched ?? process.env.ELBX_MOTO_UNPATCHED === '1'
  const port = options.port ?? (await freePort())
  const dir = mkdtempSync(join(tmpdir(), 'elbx-moto-'))
  const tableFile = join(dir, 'ssl-table.json')
  if (!unpatched) writeFileSync(tableFile, JSON.stringify(await sslTable()))
  const child = spawn(
    interpreter,
    [LAUNCHER, ...(unpatched ? ['--unpatched'] : []), '-H', '127.0.0.1', '-p', String(port)],
    {
      stdio: ['ignore', 'ignore', options.stderr ?? 'pipe'],
      env: {...process.env, ELBX_MOTO_SSL_TABLE: tableFile, ELBX_MOTO_UNPATCHED: unpatched ? '1' : ''},
    },
  )
  let stderr = ''
  child.stderr?.on('data', (chunk) => {
    // Keep only the tail: moto logs every request here.
    stderr = (stderr + chunk.toString()).slice(-4000)
  })
  const exited = new Promise((resolve) => child.once('exit', resolve))
  const endpoint = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 30_000
  try {
    for (;;) {
      if (child.exitCode !== null) {
        await exited
        if (child.exitCode === EXIT_REFUSED)
          throw new Error(stderr.trim() || 'moto was not started (the reason is above).')
        throw new Error(`moto_server exited with ${child.exitCode}:\n${stderr}`)
      }
      try {
        const res = await fetch(`${endpoint}/moto-api/`)
        if (res.status < 500) break
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        child.kill('SIGKILL')
        throw new Error(`moto_server did not start on port ${port} within 30 s:\n${stderr}`)
      }
      await new Promise((r) => setTimeout(r, 100))
    }
  } finally {
    // Read once, at start-up.
    rmSync(dir, {recursive: true, force: true})
  }
  return {
    endpoint,
    port,
    patched: !unpatched,
    process: child,
    /** What moto wrote on stderr so far (the last 4,000 characters), when piped. */
    stderr: () => stderr,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
        setTimeout(() => child.kill('SIGKILL'), 3000).unref()
      }),
  }
}

/** Wipes moto's state (every service, every region) and the patches' options. */
export async function resetMoto(endpoint) {
  const {status} = await motoApiPost(`${endpoint}/moto-api/reset`)
  if (status < 200 || status >= 300) throw new Error(`moto reset failed: HTTP ${status}`)
}

/**
 * POSTs to moto's own API over node:http on a connection closed after the answer: fetch keeps
 * sockets alive in its global pool, and a jest worker holding one "fails to exit gracefully".
 */
function motoApiPost(url, body) {
  return new Promise((resolvePost, reject) => {
    const req = request(url, {method: 'POST', agent: false}, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk) => (text += chunk))
      res.on('end', () => resolvePost({status: res.statusCode ?? 0, body: text}))
    })
    req.on('error', reject)
    req.end(body)
  })
}
