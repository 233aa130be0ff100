import {PassThrough} from 'node:stream'

import type {InstanceHealth} from '../../../src/model.js'
import {instanceLine, withInstanceProgress} from '../../../src/ui/instance-progress.js'
import {Ui} from '../../../src/ui/output.js'

function capture(options: {json: boolean}) {
  const stream = new PassThrough()
  let text = ''
  stream.on('data', (c: Buffer) => (text += c.toString()))
  const ui = new Ui({json: options.json, color: false, interactive: false, verbose: false}, stream)
  return {ui, text: () => text}
}

const A = 'i-0aaaaaaaaaaaaaaa1'
const registering: InstanceHealth = {
  instanceId: A,
  state: 'OutOfService',
  reasonCode: 'Instance',
  description: 'Instance registration is still in progress.',
}
const inService: InstanceHealth = {instanceId: A, state: 'InService', reasonCode: 'N/A', description: 'N/A'}
const options = {
  title: 'Wait for any instance to be InService',
  isDone: (s: InstanceHealth) => s.state === 'InService',
}

describe('instance progress', () => {
  it('prints one plain line per state change without a terminal', async () => {
    const {ui, text} = capture({json: false})
    const result = await withInstanceProgress(ui, options, async (onChange) => {
      onChange([registering])
      onChange([registering])
      onChange([inService])
      return 'done'
    })
    expect(result).toBe('done')
    expect(text()).toBe(
      [
        'Wait for any instance to be InService...',
        `  ${A}  OutOfService (Instance): Instance registration is still in progress.`,
        `  ${A}  InService`,
        '',
      ].join('\n'),
    )
  })

  it('prints nothing under --json, and passes the error through', async () => {
    const {ui, text} = capture({json: true})
    await expect(
      withInstanceProgress(ui, options, async (onChange) => {
        onChange([registering])
        throw new Error('timed out')
      }),
    ).rejects.toThrow('timed out')
    expect(text()).toBe('')
  })

  it('formats a line without N/A noise', () => {
    expect(instanceLine(inService)).toBe(`${A}  InService`)
  })
})
