import type {Hook} from '@oclif/core'

import {ExitCode} from '../errors.js'
import {Ui, noColorRequested} from '../ui/output.js'
import {closestNames} from '../validate/closest-names.js'

const spaced = (id: string) => id.replaceAll(':', ' ')

/**
 * Runs when the words on the command line name no command. With topics separated by spaces, oclif
 * reads `elbx create web` as a command "create web"; a stray word after a real command is a usage
 * error of that command, so the command runs with the word as an argument and its own parser
 * rejects it (exit 2, and the --json error document). Any other word is an unknown command: exit 2
 * with the closest command names, never a prompt, so scripts fail fast and people see what to type.
 */
const hook: Hook.CommandNotFound = async function ({id, argv = [], config}) {
  const words = id.split(':')
  for (let n = words.length - 1; n > 0; n--) {
    const command = words.slice(0, n).join(':')
    if (config.findCommand(command)) return config.runCommand(command, [...words.slice(n), ...argv])
  }

  const json = argv.includes('--json')
  const ui = new Ui({
    json,
    // bin/run.js has turned --no-color into FORCE_COLOR=0 already.
    color: !noColorRequested() && Boolean(process.stderr.isTTY),
    interactive: false,
    verbose: false,
  })
  const close = closestNames(spaced(id), config.commandIDs.map(spaced))
  const message = `"${spaced(id)}" is not an ${config.bin} command.`
  const hint = `${close.length ? `Did you mean ${close.map((c) => `\`${config.bin} ${c}\``).join(' or ')}? ` : ''}\`${config.bin} --help\` lists the commands.`
  if (json)
    process.stdout.write(
      JSON.stringify({error: {message, exitCode: ExitCode.InvalidInput, hint}}, null, 2) + '\n',
    )
  ui.error(message, hint)
  this.exit(ExitCode.InvalidInput)
}

export default hook
