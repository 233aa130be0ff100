import {describe, expect, it} from '@jest/globals'
import {Chalk} from 'chalk'

import {toReport} from '../../../src/steps/verify/index.js'
import {renderChecklist, wrap} from '../../../src/ui/checklist.js'

const plain = new Chalk({level: 0})
const report = toReport(
  {loadBalancerName: 'my-lb', dnsName: 'my-lb-1.elb.amazonaws.com', host: 'www.example.com'},
  [
    {
      id: 'configuration',
      title: 'Configuration',
      status: 'pass',
      detail: 'my-lb\nlisteners: HTTP 80 -> HTTP 80',
    },
    {
      id: 'dns',
      title: 'DNS name resolves',
      status: 'fail',
      detail: 'my-lb-1.elb.amazonaws.com does not resolve (ENOTFOUND)',
    },
    {id: 'http:80', title: 'Listener HTTP 80 -> HTTP 80', status: 'skip', detail: 'not probed'},
    {
      id: 'https:443',
      title: 'Listener HTTPS 443 -> HTTP 80',
      status: 'warn',
      detail: 'the certificate expires in 9 days',
    },
  ],
)

describe('renderChecklist', () => {
  it('prints one plain line per check (continuation lines indented) without a terminal', () => {
    expect(renderChecklist(report, {table: false, colors: plain}).split('\n')).toEqual([
      'Verify my-lb (my-lb-1.elb.amazonaws.com), as www.example.com',
      '[PASS] Configuration: my-lb',
      '       listeners: HTTP 80 -> HTTP 80',
      '[FAIL] DNS name resolves: my-lb-1.elb.amazonaws.com does not resolve (ENOTFOUND)',
      '[SKIP] Listener HTTP 80 -> HTTP 80: not probed',
      '[WARN] Listener HTTPS 443 -> HTTP 80: the certificate expires in 9 days',
      'Verification failed: 1 passed, 1 failed, 1 warning, 1 skipped.',
    ])
  })

  it('draws a table that fits the terminal width in a terminal', () => {
    const lines = renderChecklist(report, {table: true, colors: plain, width: 80}).split('\n')
    const rows = lines.slice(1, -1)
    expect(rows[0]).toMatch(/^┌─+┬─+┬─+┐$/)
    expect(rows[1]).toMatch(/^│ Status │ Check +│ Detail +│$/)
    expect(rows.every((row) => row.length === rows[0]!.length)).toBe(true)
    expect(rows[0]!.length).toBeLessThanOrEqual(80)
    expect(
      lines.some((l) => /│ FAIL +│ DNS name resolves +│ my-lb-1\.elb\.amazonaws\.com does not +│$/.test(l)),
    ).toBe(true)
    expect(lines.at(-1)).toBe('Verification failed: 1 passed, 1 failed, 1 warning, 1 skipped.')
  })

  it('colours the status only when asked', () => {
    const coloured = renderChecklist(report, {table: false, colors: new Chalk({level: 2})})
    expect(coloured).toContain('\u001b[')
    expect(renderChecklist(report, {table: false, colors: plain})).not.toContain('\u001b[')
  })
})

describe('wrap', () => {
  it('breaks at spaces, keeps explicit lines, and cuts words longer than the width', () => {
    expect(wrap('one two three\nfour', 7)).toEqual(['one two', 'three', 'four'])
    expect(wrap('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij'])
  })
})
