import {Ui} from '../../../src/ui/output.js'

describe('Ui.warn', () => {
  it('prints a warning once however often it is given, each different one in turn', () => {
    const lines: string[] = []
    const ui = new Ui({json: true, color: false, interactive: false, verbose: false}, {
      write: (chunk: string) => (lines.push(chunk), true),
    } as unknown as NodeJS.WritableStream)
    ui.warn('weak key')
    ui.warn('weak key')
    ui.warn('SHA-1')
    expect(lines).toEqual(['Warning: weak key\n', 'Warning: SHA-1\n'])
  })
})
