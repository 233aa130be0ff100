/**
 * export and the spec plan against moto: a load balancer another tool arranged (its own policy
 * names, stickiness, a listener with no SSL policy of its own) exported and planned again from the
 * exported text shows no difference, with only read requests; --all holds it too.
 */
import {RequestLog} from '../../../src/aws/request-log.js'
import {planFromSpec} from '../../../src/steps/engine/spec-flow.js'
import {exportAll, exportSpec} from '../../../src/steps/spec-export.js'
import {formatSpec, parseSpecs} from '../../../src/validate/spec.js'
import {motoGateways} from '../../helpers/moto.js'
import {arrangeShowWorld} from '../../helpers/show-world.js'

const READ = /^(Describe|List|Get)/

describe('spec files against moto', () => {
  it('an exported spec plans nothing: no perpetual diff, only reads', async () => {
    await arrangeShowWorld('spec-world')
    const log = new RequestLog(undefined)
    const aws = await motoGateways(log)
    try {
      const spec = await exportSpec(aws, 'spec-world')
      expect(spec.listeners.length).toBeGreaterThan(1)
      const text = formatSpec(spec, 'yaml')
      expect(text).not.toMatch(/PRIVATE KEY|Protocol-TLSv/)
      for (const checked of parseSpecs(text, 'world.yaml').checked) {
        const run = await planFromSpec(aws, checked, {prune: false})
        expect(run.differences).toEqual([])
        expect((await planFromSpec(aws, checked, {prune: true})).differences).toEqual([])
      }
      expect((await exportAll(aws)).map((s) => s.name)).toContain('spec-world')
      expect(log.records.map((r) => r.operation).filter((op) => !READ.test(op))).toEqual([])
    } finally {
      aws.close()
    }
  })
})
