import {Help} from '@oclif/core'

import {ElbxCommand} from './base-command.js'
import {ExitCode} from './errors.js'

const EXIT_CODE_MEANINGS: Record<number, string> = {
  [ExitCode.Ok]: 'success',
  [ExitCode.Failure]: 'AWS or runtime error',
  [ExitCode.InvalidInput]: 'invalid input or usage (found before any AWS request)',
  [ExitCode.TimedOut]: 'timed out waiting',
  [ExitCode.VerificationFailed]: 'verification failed',
  [ExitCode.ConfirmationDeclined]: 'a confirmation was declined (nothing changed)',
  [ExitCode.AuditFindings]: 'audit findings at or above --fail-on',
  [ExitCode.Interrupted]: 'interrupted (Ctrl-C)',
}

/** Root help that also lists the flags every command takes and the exit codes scripts rely on. */
export default class ElbxHelp extends Help {
  protected override async showRootHelp(): Promise<void> {
    await super.showRootHelp()
    // -y first: oclif's section() trims the body's leading spaces, which would misalign the first row.
    const entries = Object.entries(ElbxCommand.baseFlags).sort(([a]) => (a === 'yes' ? -1 : 0))
    const flags = entries.map(([name, flag]) => {
      const char = 'char' in flag && flag.char ? `-${flag.char}, ` : '    '
      const label = 'allowNo' in flag && flag.allowNo ? `--[no-]${name}` : `--${name}`
      const value = flag.type === 'option' ? '=<value>' : ''
      return [`${char}${label}${value}`, flag.description ?? '']
    })
    this.log(
      this.section(
        'GLOBAL FLAGS',
        this.renderList(flags, {spacer: '\n', stripAnsi: this.opts.stripAnsi, indentation: 2}),
      ),
    )
    this.log('')
    const codes = Object.entries(EXIT_CODE_MEANINGS).map(([code, meaning]) => [code, meaning])
    this.log(
      this.section(
        'EXIT CODES',
        this.renderList(codes, {spacer: '\n', stripAnsi: this.opts.stripAnsi, indentation: 2}),
      ),
    )
    this.log('')
  }
}
