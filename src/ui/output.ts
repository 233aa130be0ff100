import {Chalk, type ChalkInstance} from 'chalk'

import {redact} from '../redact.js'

export interface UiOptions {
  /** --json: stdout carries one JSON document; progress is silent. */
  json: boolean
  /** Colours on (not --no-color, not NO_COLOR, stderr is a terminal). */
  color: boolean
  /** Prompts and spinners allowed: stdin and stderr are terminals and --yes was not given. */
  interactive: boolean
  verbose: boolean
}

/** True when NO_COLOR is set to a non-empty value (https://no-color.org). */
export function noColorRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  return (env.NO_COLOR ?? '') !== '' || env.FORCE_COLOR === '0'
}

/**
 * elbx's voice on stderr: notes, warnings and --verbose lines. stdout is reserved for the result
 * (a summary, or the --json document), so scripts can pipe it.
 */
export class Ui {
  readonly colors: ChalkInstance

  constructor(
    readonly options: UiOptions,
    private readonly stderr: NodeJS.WritableStream = process.stderr,
  ) {
    this.colors = new Chalk({level: options.color ? 2 : 0})
  }

  get json(): boolean {
    return this.options.json
  }

  get interactive(): boolean {
    return this.options.interactive
  }

  private write(line: string): void {
    this.stderr.write(redact(line) + '\n')
  }

  /** Progress and notes; silent under --json. */
  info(message: string): void {
    if (!this.options.json) this.write(message)
  }

  private readonly warned = new Set<string>()

  /** A warning the user should read; shown even under --json (on stderr), once however often a step says it. */
  warn(message: string): void {
    if (this.warned.has(message)) return
    this.warned.add(message)
    this.write(`${this.colors.yellow('Warning:')} ${message}`)
  }

  /** Only with --verbose. */
  debug(message: string): void {
    if (this.options.verbose) this.write(this.colors.dim(message))
  }

  /** An error line, and the hint under it. */
  error(message: string, hint?: string): void {
    this.write(`${this.colors.red('Error:')} ${message}`)
    if (hint) this.write(`${this.colors.dim('Hint:')} ${hint}`)
  }
}

/**
 * How a result is laid out on stdout: a table and colours for a terminal, plain uncoloured lines
 * for a pipe; --no-color and NO_COLOR turn colours off either way.
 */
export function stdoutStyle(
  colorFlag: boolean,
  stdout: {isTTY?: boolean} = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): {table: boolean; colors: ChalkInstance} {
  const tty = Boolean(stdout.isTTY)
  return {table: tty, colors: new Chalk({level: colorFlag && tty && !noColorRequested(env) ? 2 : 0})}
}
