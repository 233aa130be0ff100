import {ConfirmationDeclinedError, InvalidInputError} from '../errors.js'
import type {Action} from '../steps/engine/plan.js'
import {planEntry} from '../steps/engine/render.js'
import {planLines} from '../ui/plan.js'
import type {Ui} from '../ui/output.js'
import {confirmAction} from './confirm.js'

/**
 * A change to a load balancer that exists is shown first and made only once confirmed: in a
 * terminal by asking, in scripts with --yes. Without either, nothing changes: exit 2, with the plan
 * in the error's details (--json) and a hint.
 */
export async function confirmPlan(
  ui: Ui,
  options: {yes: boolean; heading: string; question: string; actions: Action[]; signal?: AbortSignal},
): Promise<void> {
  const text = [options.heading, ...planLines(options.actions)].join('\n')
  if (options.yes) {
    ui.info(text)
    return
  }
  if (!ui.interactive)
    throw new InvalidInputError(
      `Refusing to change AWS without confirmation: there is no terminal to ask in. Nothing was changed. The plan:\n${planLines(options.actions).join('\n')}`,
      'Pass --yes to apply it (--dry-run prints it as aws CLI commands).',
      {plan: options.actions.map(planEntry)},
    )
  ui.info(text)
  if (!(await confirmAction(options.question, options.signal)))
    throw new ConfirmationDeclinedError('Not confirmed: nothing was changed.')
}
