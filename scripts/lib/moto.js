// Starts and resets moto_server, the local AWS emulator elbx's tests, demo and benchmarks run
// against. Plain JavaScript so that jest's globalSetup, `npm run demo` and bench/ share it.
import {spawn, spawnSync} from 'node:child_process'
import {createServer} from 'node:net'

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
  '  pip install "moto[server]"\n' +
  'then run the command again.'

export function motoAvailable() {
  return spawnSync('moto_server', ['--help'], {stdio: 'ignore'}).status === 0
}

/**
 * Starts moto_server on a free loopback port and waits until it answers.
 * @returns {Promise<{endpoint: string, port: number, process: import('node:child_process').ChildProcess, stop: () => Promise<void>}>}
 */
export async function startMoto() {
  if (!motoAvailable()) throw new Error(MOTO_MISSING)
  const port = await freePort()
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (chunk) => {
    // Keep only the tail: moto logs every request here.
    stderr = (stderr + chunk.toString()).slice(-4000)
  })
  const endpoint = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 30_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}:\n${stderr}`)
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
  return {
    endpoint,
    port,
    process: child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
        setTimeout(() => child.kill('SIGKILL'), 3000).unref()
      }),
  }
}

/** Wipes moto's state (every service, every region). */
export async function resetMoto(endpoint) {
  const res = await fetch(`${endpoint}/moto-api/reset`, {method: 'POST'})
  if (!res.ok) throw new Error(`moto reset failed: HTTP ${res.status}`)
}
