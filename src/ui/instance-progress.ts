import {Listr, ListrLogger, PRESET_TIMER, ProcessOutput} from 'listr2'

import type {InstanceHealth} from '../model.js'
import {formatInstanceHealth} from '../steps/wait-for-in-service.js'
import type {Ui} from './output.js'

/** A live view of instances while a waiter runs: give `onChange` to the waiter, then call `finish`. */
export interface InstanceProgress {
  onChange(states: InstanceHealth[]): void
  /** Ends the view; `succeeded` says whether the wait reached its goal. */
  finish(succeeded: boolean): Promise<void>
}

export interface InstanceProgressOptions {
  /** "Wait for any instance of web to be InService". */
  title: string
  /** True once an instance is where the wait wants it (its row is then ticked). */
  isDone(state: InstanceHealth): boolean
}

/**
 * Per-instance progress on stderr: a listr2 list with one row per instance in an interactive
 * terminal, one plain line per state change otherwise (CI logs keep every transition, with ELB's
 * reason code and description), nothing under --json.
 */
export function instanceProgress(ui: Ui, options: InstanceProgressOptions): InstanceProgress {
  if (ui.json) return {onChange: () => undefined, finish: async () => undefined}
  if (ui.interactive && !ui.options.verbose) return new TaskListProgress(options)
  return new LineProgress(ui, options)
}

/** Runs `wait` with progress shown for it; the view is closed whether the wait succeeds or throws. */
export async function withInstanceProgress<T>(
  ui: Ui,
  options: InstanceProgressOptions,
  wait: (onChange: (states: InstanceHealth[]) => void) => Promise<T>,
): Promise<T> {
  const progress = instanceProgress(ui, options)
  try {
    const result = await wait((states) => progress.onChange(states))
    await progress.finish(true)
    return result
  } catch (error) {
    await progress.finish(false)
    throw error
  }
}

/** "i-0abc  OutOfService (Instance): Instance registration is still in progress." */
export const instanceLine = (s: InstanceHealth) => `${s.instanceId}  ${formatInstanceHealth(s)}`

/** Plain lines: one at the start, one per instance whose state, reason or description changed. */
class LineProgress implements InstanceProgress {
  private readonly last = new Map<string, string>()
  private started = false

  constructor(
    private readonly ui: Ui,
    private readonly options: InstanceProgressOptions,
  ) {}

  onChange(states: InstanceHealth[]): void {
    if (!this.started) {
      this.started = true
      this.ui.info(`${this.options.title}...`)
    }
    for (const s of states) {
      const line = instanceLine(s)
      if (this.last.get(s.instanceId) === line) continue
      this.last.set(s.instanceId, line)
      this.ui.info(`  ${line}`)
    }
  }

  async finish(): Promise<void> {
    // The result (or the error's summary) says how it ended.
  }
}

interface Row {
  title(text: string): void
  done(): void
  skip(text: string): void
  fail(text: string): void
}

/** listr2 rows, one per instance, created when the first states arrive. */
class TaskListProgress implements InstanceProgress {
  private readonly latest = new Map<string, InstanceHealth>()
  private readonly rows = new Map<string, Row>()
  private running?: Promise<unknown>
  /** Set by finish(): rows that start later settle at once. */
  private outcome?: boolean

  constructor(private readonly options: InstanceProgressOptions) {}

  onChange(states: InstanceHealth[]): void {
    for (const s of states) this.latest.set(s.instanceId, s)
    if (!this.running) this.start(states.map((s) => s.instanceId))
    for (const s of states) this.show(s)
  }

  private show(s: InstanceHealth): void {
    const row = this.rows.get(s.instanceId)
    if (!row) return
    row.title(instanceLine(s))
    if (this.options.isDone(s)) row.done()
  }

  private start(instanceIds: string[]): void {
    const logger = new ListrLogger({processOutput: new ProcessOutput(process.stderr, process.stderr)})
    const list = new Listr(
      [
        {
          title: this.options.title,
          task: (_ctx, parent) =>
            parent.newListr(
              instanceIds.map((id) => ({
                title: id,
                task: (_c, task) =>
                  new Promise<void>((resolve, reject) => {
                    this.rows.set(id, {
                      title: (text) => (task.title = text),
                      done: resolve,
                      skip: (text) => {
                        task.skip(text)
                        resolve()
                      },
                      fail: (text) => reject(new Error(text)),
                    })
                    const state = this.latest.get(id)
                    if (state) this.show(state)
                    if (this.outcome !== undefined) this.settle(id, this.outcome)
                  }),
              })),
              {concurrent: true, exitOnError: false},
            ),
        },
      ],
      {
        renderer: 'default',
        rendererOptions: {timer: PRESET_TIMER, collapseSubtasks: false, logger},
        registerSignalListeners: false,
        exitOnError: false,
      },
    )
    this.running = list.run().catch(() => undefined)
  }

  async finish(succeeded: boolean): Promise<void> {
    if (!this.running) return
    this.outcome = succeeded
    for (const id of this.rows.keys()) this.settle(id, succeeded)
    await this.running
  }

  /** Ends a row: ticked when done, skipped when the wait succeeded without it ("any"), failed otherwise. */
  private settle(id: string, succeeded: boolean): void {
    const row = this.rows.get(id)!
    const state = this.latest.get(id)
    const text = state ? instanceLine(state) : id
    if (state && this.options.isDone(state)) row.done()
    else if (succeeded) row.skip(text)
    else row.fail(text)
  }
}
