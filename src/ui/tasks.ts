import {Listr, ListrLogger, PRESET_TIMER, ProcessOutput} from 'listr2'

import {toStepError} from '../aws/errors.js'
import {type ElbxError, throwIfInterrupted} from '../errors.js'
import type {Ui} from './output.js'

/** Makes sure the error says which step failed (--json's error.step), whatever threw it. */
function withStep(error: ElbxError, step: string): ElbxError {
  if (typeof error.details?.step === 'string') return error
  // Same class and exit code; only the detail is added.
  return Object.assign(error, {details: {...error.details, step}})
}

/** One step of a command as the user sees it in the task list. */
export interface Task<Ctx> {
  title: string
  /** Does the work; the returned text ("created sg-0abc", "unchanged") is shown after the title. */
  run(ctx: Ctx, progress: (message: string) => void): Promise<string | void>
  /** A reason to skip this task, or false to run it. */
  skip?(ctx: Ctx): string | false
}

export interface TaskOutcome {
  title: string
  status: 'done' | 'skipped'
  outcome?: string
  durationMs: number
}

/** Narrower than this, the live task list has no room for a title: print plain lines instead. */
export const MIN_LIVE_COLUMNS = 20

/**
 * Whether the terminal is wide enough for listr2's live renderer. It wraps every line at
 * process.stdout.columns (whichever stream it draws on), and a terminal that reports 0 columns
 * (some CI pseudo-terminals, `stty cols 0`) would get one character per line.
 */
export function liveRendererFits(
  stdout: {columns?: number} = process.stdout,
  stderr: {columns?: number} = process.stderr,
): boolean {
  return [stdout.columns ?? 80, stderr.columns ?? 80].every((c) => c >= MIN_LIVE_COLUMNS)
}

/**
 * Runs tasks in order with a listr2 task list on stderr: live spinners in an interactive
 * terminal wide enough for them, one plain line per event otherwise (CI logs, pipes, --yes,
 * --verbose, a terminal of 0 columns), nothing under --json. The first failure stops the list and
 * is rethrown unchanged.
 */
export async function runTasks<Ctx>(
  ui: Ui,
  tasks: Task<Ctx>[],
  ctx: Ctx,
  signal?: AbortSignal,
): Promise<TaskOutcome[]> {
  const outcomes: TaskOutcome[] = []
  const live = ui.interactive && !ui.options.verbose && liveRendererFits()
  const renderer = ui.json ? 'silent' : live ? 'default' : 'simple'
  const list = new Listr(
    tasks.map((task) => ({
      title: task.title,
      skip: () => task.skip?.(ctx) ?? false,
      task: async (_: unknown, wrapper: {title: string; output: string}) => {
        throwIfInterrupted(signal)
        const started = performance.now()
        let outcome: string | void
        try {
          outcome = await task.run(ctx, (message) => {
            wrapper.output = message
          })
        } catch (error) {
          // Name the step in the message, and never let raw library text (which could echo a
          // request) reach the task list unredacted.
          throw withStep(toStepError(task.title, error), task.title)
        }
        outcomes.push({
          title: task.title,
          status: 'done',
          ...(outcome ? {outcome} : {}),
          durationMs: Math.round(performance.now() - started),
        })
        if (outcome) wrapper.title = `${task.title}: ${outcome}`
      },
    })),
    {
      renderer,
      fallbackRenderer: 'simple',
      // Progress belongs on stderr; stdout carries only the result.
      rendererOptions: {
        timer: PRESET_TIMER,
        collapseSubtasks: false,
        logger: new ListrLogger({
          processOutput: new ProcessOutput(process.stderr, process.stderr),
          useIcons: true,
        }),
      },
      fallbackRendererOptions: {
        timer: PRESET_TIMER,
        logger: new ListrLogger({
          processOutput: new ProcessOutput(process.stderr, process.stderr),
          useIcons: false,
        }),
      },
      registerSignalListeners: false,
      exitOnError: true,
      concurrent: false,
    },
  )
  await list.run()
  return tasks.map(
    (task) =>
      outcomes.find((o) => o.title === task.title) ?? {title: task.title, status: 'skipped', durationMs: 0},
  )
}
