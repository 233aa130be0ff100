import {Command, Errors, Flags, type Interfaces} from '@oclif/core'

import {toStepError} from './aws/errors.js'
import type {DryRunRecorder} from './aws/dry-run.js'
import type {Connection} from './aws/index.js'
import {RequestLog, formatRequestRecord} from './aws/request-log.js'
import {ElbxError, ExitCode, InterruptedError, InvalidInputError} from './errors.js'
import {promptLoadBalancerName} from './prompts/load-balancer-name.js'
import {redact} from './redact.js'
import {Ui, noColorRequested} from './ui/output.js'
import {closestNames} from './validate/closest-names.js'
import {checkLoadBalancerName} from './validate/load-balancer-name.js'

export type ElbxFlags<T extends typeof Command> = Interfaces.InferredFlags<
  (typeof ElbxCommand)['baseFlags'] & T['flags']
>
export type ElbxArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>

const GLOBAL = 'GLOBAL'

/** What --json does, in the words of every help page. */
export const JSON_FLAG_DESCRIPTION =
  'Print one JSON document on stdout and nothing else there (progress and warnings stay on stderr).'

/**
 * One input a command cannot run without, as the command declares it in `static needs`. The base
 * command enforces every need in one place (init, before run and before any AWS request): all the
 * missing ones go into one message, exit 2.
 */
export interface Need {
  /** What the input answers, as the missing-flag message asks it: "which instances to register". */
  question: string
  /**
   * True when the command asks for it in a terminal (a prompt or checklist), so only a run
   * without one (a script, --yes, --json) must give the flag; otherwise it is always required.
   */
  prompted: boolean
  /** How the message names the input when it is not just --FLAG, e.g. "--ssl-policy NAME (or --ssl-protocols and --ssl-ciphers)". */
  label?: string
  /** Whether the user gave it, when that is more than the flag having a value (one of several flags). */
  given?: (flags: Record<string, unknown>) => boolean
  /** Flags that make this need moot (`policy ssl --list` needs no load balancer). */
  unless?: string[]
}

/**
 * What a command needs before it runs: `static override needs = {flags: {...}, example: '...'}`.
 * Keys of `flags` are flag names of the command; `example` is what follows the command in the hint
 * of the missing-flag message ("Example: elbx register --name my-lb --instances i-...").
 *
 * A command that acts on one load balancer declares it in one line,
 *     static override needs: Needs = {flags: {name: LOAD_BALANCER}, example: '--name my-lb'}
 * keeps `name: loadBalancerNameFlag()` in its flags, and in run(), after checking its other flags,
 * gets the name with `await this.loadBalancerName()` (checked against AWS's rule, or asked for in
 * a terminal). Other inputs use `prompted('which ...')` (the command asks in a terminal) or
 * `required('which ...')` (always given as a flag; use this instead of oclif's `required: true`,
 * whose message names the flag without its dashes).
 */
export interface Needs {
  flags: Record<string, Need>
  example: string
}

/** --name: which load balancer the command acts on, asked for in a terminal. */
export const LOAD_BALANCER: Need = {question: 'which load balancer', prompted: true}

/** An input the command asks for in a terminal; without one the flag must be given. */
export const prompted = (question: string, more: Omit<Need, 'question' | 'prompted'> = {}): Need => ({
  question,
  prompted: true,
  ...more,
})

/** An input that must always be given as a flag. */
export const required = (question: string, more: Omit<Need, 'question' | 'prompted'> = {}): Need => ({
  question,
  prompted: false,
  ...more,
})

/** The error document printed on stdout under --json. */
export interface ErrorResult {
  error: {
    message: string
    exitCode: number
    code?: string
    step?: string
    hint?: string
    details?: Record<string, unknown>
  }
}

/**
 * Every elbx command extends this: global flags, one Ui on stderr, the request log, lazy AWS
 * connection, Ctrl-C handling, and the mapping from errors to one readable line and an exit code.
 */
export abstract class ElbxCommand<T extends typeof Command> extends Command {
  static override enableJsonFlag = true

  static override baseFlags = {
    region: Flags.string({
      description: "AWS Region (default: AWS_REGION, AWS_DEFAULT_REGION, or the profile's region).",
      helpGroup: GLOBAL,
    }),
    profile: Flags.string({
      description: 'Named profile from your AWS config and credentials files (default: AWS_PROFILE).',
      helpGroup: GLOBAL,
    }),
    'endpoint-url': Flags.string({
      description:
        'Send AWS requests to this URL (e.g. a local moto_server). AWS_ENDPOINT_URL is honoured too.',
      helpGroup: GLOBAL,
    }),
    yes: Flags.boolean({
      char: 'y',
      description: 'Never prompt and answer yes to confirmations (destroy needs it without a terminal).',
      helpGroup: GLOBAL,
    }),
    verbose: Flags.boolean({
      description:
        'Log every AWS request (service, operation, HTTP status, duration, request ID) and stack traces to stderr.',
      helpGroup: GLOBAL,
    }),
    color: Flags.boolean({
      allowNo: true,
      default: true,
      description: 'Colour output. --no-color or NO_COLOR turns it off.',
      helpGroup: GLOBAL,
    }),
    // Replaces oclif's own --json ("Format output as json."), so every help says the same.
    json: Flags.boolean({description: JSON_FLAG_DESCRIPTION, helpGroup: GLOBAL}),
  }

  /** What this command cannot run without; see Needs. Enforced by init() for every command. */
  static needs?: Needs

  protected flags!: ElbxFlags<T>
  protected args!: ElbxArgs<T>
  protected ui!: Ui
  protected readonly requestLog = new RequestLog()
  /** Aborted on Ctrl-C; steps and waiters watch it. */
  protected readonly interrupt = new AbortController()
  private connection?: Promise<Connection>
  /**
   * Set before throwing when the run produced a result that stands despite the failure (a
   * verification that failed, a create whose --verify failed): --json prints it with the error.
   */
  protected resultDespiteFailure?: object
  private readonly onSigint = () => this.handleSigint()

  public override async init(): Promise<void> {
    await super.init()
    // Until parsing succeeds, errors are reported by a plain Ui.
    this.ui = new Ui({json: this.jsonEnabled(), color: false, interactive: false, verbose: false})
    const {args, flags} = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (this.ctor as typeof ElbxCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      args: this.ctor.args,
      strict: this.ctor.strict,
    })
    this.flags = flags as ElbxFlags<T>
    this.args = args as ElbxArgs<T>
    const stderrTty = Boolean(process.stderr.isTTY)
    this.ui = new Ui({
      json: this.jsonEnabled(),
      color: this.flags.color && !noColorRequested() && stderrTty,
      interactive: Boolean(process.stdin.isTTY) && stderrTty && !this.flags.yes && !this.jsonEnabled(),
      verbose: this.flags.verbose,
    })
    if (this.flags.verbose) this.requestLog.onRequest((r) => this.ui.debug(formatRequestRecord(r)))
    process.on('SIGINT', this.onSigint)
    this.checkNeeds()
  }

  /**
   * oclif's own warnings (a deprecated flag spelling) go to stderr in elbx's form, --json or not:
   * oclif drops them under --json, and a script is who most needs to hear a spelling is going away.
   */
  public override warn(input: string | Error): string | Error {
    this.ui.warn(typeof input === 'string' ? input : input.message)
    return input
  }

  /** One message for every input that is missing (exit 2), before run() and any AWS request. */
  private checkNeeds(): void {
    const needs = (this.ctor as typeof ElbxCommand).needs
    if (!needs) return
    const flags = this.flags as Record<string, unknown>
    const isSet = (flag: string) => flags[flag] !== undefined && flags[flag] !== false
    const missing = Object.entries(needs.flags).filter(([flag, need]) => {
      if (need.unless?.some(isSet)) return false
      if (need.prompted && this.ui.interactive) return false
      return !(need.given ? need.given(flags) : isSet(flag))
    })
    if (missing.length) throw this.missingInputs(missing, needs.example)
  }

  private missingInputs(missing: [string, Need][], example: string): InvalidInputError {
    const labels = missing.map(([flag, need]) => need.label ?? `--${flag}`)
    return new InvalidInputError(
      `Missing ${labels.join(', ')}: ${missing.map(([, need]) => need.question).join('; ')}?`,
      `Example: ${this.commandName()} ${example}${missing.some(([, n]) => n.prompted) ? ' (in a terminal, elbx asks for what is missing)' : ''}.`,
      {missing: missing.map(([flag]) => `--${flag}`)},
    )
  }

  /**
   * The load balancer named by --name, checked against AWS's rule, or asked for in a terminal (the
   * base has already refused a run without --name and without a terminal). Call it after checking
   * the command's other flags, so a bad value is reported before any prompt.
   */
  protected async loadBalancerName(): Promise<string> {
    const given = (this.flags as {name?: string}).name
    if (given !== undefined) return checkLoadBalancerName(given)
    // Only a command that forgot to declare `needs` gets here without a terminal.
    if (!this.ui.interactive) throw this.missingInputs([['name', LOAD_BALANCER]], '--name my-lb')
    return promptLoadBalancerName(this.interrupt.signal)
  }

  /**
   * The AWS gateways, connected on first use so bad input is rejected before any SDK work. With a
   * dry-run recorder, mutating requests are recorded instead of sent.
   */
  protected async aws(options: {dryRun?: DryRunRecorder} = {}): Promise<Connection> {
    if (!this.connection) {
      const {connect} = await import('./aws/index.js')
      this.connection = connect({
        region: this.flags.region || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || undefined,
        profile: this.flags.profile,
        endpointUrl: this.flags['endpoint-url'],
        requestLog: this.requestLog,
        userAgent: `elbx/${this.config.version}`,
        ...(options.dryRun ? {dryRun: options.dryRun} : {}),
      })
    }
    return this.connection
  }

  private handleSigint(): void {
    if (this.interrupt.signal.aborted) {
      // A second Ctrl-C means "stop now", cleanup or not.
      process.stderr.write('\nInterrupted again: exiting without cleaning up.\n')
      process.exit(ExitCode.Interrupted)
    }
    process.stderr.write('\nInterrupted: stopping (press Ctrl-C again to exit at once).\n')
    this.interrupt.abort(new InterruptedError())
  }

  /** One readable line (and a hint) on stderr, the error document on stdout under --json, and the exit code. */
  public override async catch(error: Error & {exitCode?: number}): Promise<void> {
    if (error instanceof Errors.ExitError) {
      process.exitCode = error.oclif.exit
      return
    }
    const result = this.toErrorResult(error)
    process.exitCode = result.error.exitCode
    if (this.jsonEnabled()) {
      // A result that stands despite the failure goes beside the error (its details are in it).
      const {details: _details, ...brief} = result.error
      this.logJson(this.resultDespiteFailure ? {...this.resultDespiteFailure, error: brief} : result)
    }
    this.ui.error(result.error.message, result.error.hint)
    if (this.flags?.verbose && error.stack) this.ui.debug(redact(error.stack))
  }

  protected toErrorResult(original: Error): ErrorResult {
    // Anything unexpected (an SDK error that escaped a step, a network failure) still gets the
    // AWS-aware wording: wire code, hint, request ID.
    const error = original instanceof Errors.CLIError ? original : toStepError(this.commandName(), original)
    if (error instanceof ElbxError) {
      const details = error.details ?? {}
      return {
        error: {
          message: redact(error.message),
          exitCode: error.exitCode,
          ...(typeof details.code === 'string' ? {code: details.code} : {}),
          ...(typeof details.step === 'string' ? {step: details.step} : {}),
          ...(error.hint ? {hint: error.hint} : {}),
          ...(Object.keys(details).length ? {details} : {}),
        },
      }
    }
    // oclif's parse errors: unknown flags, bad option values, missing arguments (exit 2).
    const message = redact(error.message.replace(/\nSee more help with --help$/, ''))
    const unknown = 'flags' in error && Array.isArray(error.flags) ? (error.flags as string[]) : []
    const guesses = [...new Set(unknown.flatMap((flag) => this.closestFlags(flag)))]
    return {
      error: {
        message,
        exitCode: error.oclif.exit ?? ExitCode.InvalidInput,
        hint: `${guesses.length ? `Did you mean ${guesses.join(' or ')}? ` : ''}See \`${this.commandName()} --help\`.`,
      },
    }
  }

  /** The command's flags closest to a mistyped one, as misspelled commands get (an old spelling counts as its flag). */
  private closestFlags(typed: string): string[] {
    const flags = {...(this.ctor as typeof ElbxCommand).baseFlags, ...this.ctor.flags}
    const spellings = new Map<string, string>()
    for (const [name, flag] of Object.entries(flags)) {
      if (flag.hidden) continue
      spellings.set(name, name)
      for (const alias of flag.aliases ?? []) spellings.set(alias, name)
    }
    const word = typed.replace(/^-+/, '').replace(/=.*$/s, '')
    return [...new Set(closestNames(word, [...spellings.keys()]).map((s) => `--${spellings.get(s)}`))]
  }

  /** "elbx policy ssl": how the user typed the command. */
  protected commandName(): string {
    return [this.config.bin, ...(this.id ? this.id.split(':') : [])].join(' ')
  }

  public override async finally(error: Error | undefined): Promise<void> {
    process.off('SIGINT', this.onSigint)
    if (this.connection) {
      try {
        ;(await this.connection).close()
      } catch {
        // the connection never came up; nothing to close
      }
    }
    if (this.interrupt.signal.aborted && !error) process.exitCode = ExitCode.Interrupted
    await super.finally(error)
  }
}
