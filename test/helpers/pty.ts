import {type ChildProcess, spawn} from 'node:child_process'

import {BIN} from './cli.js'
import {motoEnv} from './moto.js'
import {scanForSecrets} from './secrets.js'

/**
 * Runs the built elbx in a pseudo-terminal, as a person at a keyboard would, through Python's pty
 * module (always present where moto is, and no native Node addon to build). Output is the raw
 * terminal stream, ANSI codes included.
 */
const RELAY = String.raw`
import os, pty, select, signal, struct, sys, fcntl, termios
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 40, int(os.environ.get('ELBX_TEST_PTY_COLUMNS', '120')), 0, 0))
signal.signal(signal.SIGINT, lambda *a: os.kill(pid, signal.SIGINT))
stdin_open = True
while True:
    fds = [fd] + ([0] if stdin_open else [])
    try:
        r, _, _ = select.select(fds, [], [], 0.05)
    except InterruptedError:
        continue
    if fd in r:
        try:
            data = os.read(fd, 65536)
        except OSError:
            data = b''
        if not data:
            break
        os.write(1, data)
    if 0 in r:
        data = os.read(0, 65536)
        if not data:
            stdin_open = False
        else:
            os.write(fd, data)
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))
`

export const KEYS = {enter: '\r', down: '\x1b[B', up: '\x1b[A', space: ' ', ctrlC: '\x03', backspace: '\x7f'}

/** Strips ANSI escape sequences so assertions read the text a person sees. */
export function plain(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\r/g, '')
}

export class PtySession {
  output = ''
  private readonly child: ChildProcess
  private readonly exited: Promise<number | null>

  /** `columns` is the terminal's width (120 unless a test needs another, 0 included). */
  constructor(args: string[], env: Record<string, string> = {}, options: {columns?: number} = {}) {
    this.child = spawn('python3', ['-c', RELAY, process.execPath, BIN, ...args], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        TERM: 'xterm-256color',
        ELBX_TEST_PTY_COLUMNS: String(options.columns ?? 120),
        ...motoEnv(),
        ...env,
      },
      stdio: ['pipe', 'pipe', 'inherit'],
    })
    this.child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()))
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)))
  }

  /** Waits until the screen shows text matching `pattern` (after ANSI codes are stripped). */
  async expect(pattern: RegExp | string, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    const matches = () =>
      typeof pattern === 'string' ? plain(this.output).includes(pattern) : pattern.test(plain(this.output))
    while (!matches()) {
      if (Date.now() > deadline) {
        throw new Error(
          `timed out waiting for ${String(pattern)}; screen so far:\n${plain(this.output).slice(-3000)}`,
        )
      }
      if (this.child.exitCode !== null) {
        throw new Error(
          `elbx exited (${this.child.exitCode}) before ${String(pattern)} appeared:\n${plain(this.output).slice(-3000)}`,
        )
      }
      await new Promise((r) => setTimeout(r, 50))
    }
  }

  /** Types text (use KEYS for special keys). */
  send(text: string): void {
    this.child.stdin!.write(text)
  }

  /** Types a line and presses Enter. */
  line(text: string): void {
    this.send(text + KEYS.enter)
  }

  interrupt(): void {
    this.child.kill('SIGINT')
  }

  /** Ends a session a failed test left running, so jest's worker can exit. */
  close(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL')
  }

  async exitCode(timeoutMs = 60_000): Promise<number | null> {
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs)
    try {
      return await this.exited
    } finally {
      clearTimeout(timer)
      scanForSecrets(this.output, 'the terminal')
    }
  }
}
