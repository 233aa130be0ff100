import {Flags} from '@oclif/core'

import {ElbxCommand, required, type Needs} from '../base-command.js'
import {DriftError} from '../errors.js'
import type {Difference} from '../steps/engine/drift.js'
import {planFromSpec} from '../steps/engine/spec-flow.js'
import {readSpecFile} from '../validate/spec.js'

/** `--json` result of `elbx diff`: each load balancer of the spec with how AWS differs from it. */
export interface DiffResult {
  drift: boolean
  loadBalancers: {name: string; exists: boolean; differences: Difference[]}[]
}

/** The spec-file flag of diff and apply. */
export const specFileFlag = () =>
  Flags.string({
    char: 'f',
    description: 'The spec file (YAML or JSON, as `elbx export` writes it; docs/spec.md).',
  })

/** --prune of diff and apply. */
export const pruneFlag = (what: string) =>
  Flags.boolean({
    description: `${what} what the spec no longer names: listeners, back-end authentication on other instance ports, tags, and the policies elbx made that nothing uses (without it, nothing absent from the spec is removed).`,
  })

export default class Diff extends ElbxCommand<typeof Diff> {
  static override summary = 'Compare a spec file with the load balancer in AWS; exit 7 when they differ.'

  static override description = `Checks the spec (exit 2 with the line and field of the first problem, before any request), reads the load balancer, and lists every difference in AWS's terms with the request \`elbx apply -f\` would send for it. Values are compared by what they mean: an SSL policy that enables the same protocols and ciphers in the same order is equal whatever its name, and back-end keys are compared as keys.

Exit 0 when AWS is as the spec says, 7 when it differs (drift; for CI checks), 1 on an AWS error. What the spec leaves out is not a difference; with --prune, what it no longer names (listeners, back-end authentication, tags, unused elbx policies) is.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> -f my-lb.yaml',
    '<%= config.bin %> <%= command.id %> -f my-lb.yaml --prune --json',
  ]

  static override flags = {
    file: specFileFlag(),
    prune: pruneFlag('Count as a difference'),
  }

  static override needs: Needs = {flags: {file: required('which spec file')}, example: '-f my-lb.yaml'}

  public async run(): Promise<DiffResult> {
    const {checked} = readSpecFile('--file', this.flags.file!)
    const gateways = await this.aws()
    const loadBalancers: DiffResult['loadBalancers'] = []
    for (const spec of checked) {
      const run = await planFromSpec(gateways, spec, {prune: this.flags.prune})
      loadBalancers.push({
        name: spec.name,
        exists: run.observed.loadBalancer !== undefined,
        differences: run.differences,
      })
    }
    const result: DiffResult = {drift: loadBalancers.some((lb) => lb.differences.length > 0), loadBalancers}
    for (const lb of loadBalancers) {
      if (lb.differences.length === 0) {
        this.log(`${lb.name}: no difference`)
        continue
      }
      this.log(`${lb.name}: ${lb.differences.length} difference(s)`)
      for (const d of lb.differences)
        this.log(
          `  ${d.target}: ${d.difference}${d.action ? ` (${d.action})` : ' (cannot be changed in place)'}`,
        )
    }
    if (result.drift) {
      this.resultDespiteFailure = result
      const count = loadBalancers.reduce((n, lb) => n + lb.differences.length, 0)
      throw new DriftError(
        `AWS differs from ${this.flags.file}: ${count} difference(s).`,
        `\`elbx apply -f ${this.flags.file}\` makes AWS as the spec says (--dry-run shows the commands).`,
      )
    }
    return result
  }
}
