import {Chalk} from 'chalk'

import {describeObservedLoadBalancer, type ListResult} from '../../../src/steps/show.js'
import {stdoutStyle} from '../../../src/ui/output.js'
import {renderList, renderShow, table} from '../../../src/ui/show.js'
import {observed} from '../steps/show-fixtures.js'

const plainColors = new Chalk({level: 0})

describe('renderShow', () => {
  const shown = describeObservedLoadBalancer(observed())

  it('in a pipe: one "section: label: value" line per fact, no colour', () => {
    const lines = renderShow(shown, {table: false, colors: plainColors}).split('\n')
    expect(lines).toEqual(
      expect.arrayContaining([
        'load balancer web: DNS name: web-1.us-east-1.elb.amazonaws.com',
        'load balancer web: Subnet: subnet-0a  us-east-1a  10.0.0.0/24',
        'security groups: sg-1 elbx-web: tcp 80 from 0.0.0.0/0; tcp 443 from 0.0.0.0/0',
        'security groups: sg-gone: not found in EC2',
        'security groups: Closed: listener ports 8443 admitted by no group',
        'listeners: 443 SSL policy: (none: AWS default ELBSecurityPolicy-2016-08)',
        'listeners: 443 names: shop.example.com, www.example.com',
        'listeners: 8443 SSL policy: ssl -> ELBSecurityPolicy-TLS-1-2-2017-01',
        'listeners: 8443 protocols: TLSv1.2',
        'back-end authentication and policies: none',
        'instances: i-2 hint: ' + shown.instances[1]!.hint,
        'attributes: Connection draining: on, 300 s',
        'tags: team: web',
      ]),
    )
    expect(lines.every((l) => !l.includes('\u001b'))).toBe(true)
  })

  it('in a terminal: titled sections, a listener table, long values wrapped to the width', () => {
    const text = renderShow(shown, {table: true, colors: plainColors, width: 80})
    expect(text).toContain('Load balancer web (us-east-1)\n  DNS name')
    expect(text).toMatch(
      /LISTENER\s+CERTIFICATE\s+EXPIRES\s+SSL POLICY\s+STICKINESS\n\s+HTTP 80 -> HTTP 80\s+-\s+-\s+-\s+-/,
    )
    expect(text).toMatch(
      /HTTPS 443 -> HTTPS 443\s+shop\.example\.com\s+9 days \(\d{4}-\d\d-\d\d\)\s+\(none: AWS default/,
    )
    const cipherLines = text.split('\n').filter((l) => l.includes('ECDHE') || l.includes('AES'))
    expect(cipherLines.length).toBeGreaterThan(1)
    expect(
      text
        .split('\n')
        .filter((l) => !/LISTENER|->/.test(l))
        .every((l) => l.length <= 80),
    ).toBe(true)
    expect(text).toContain('Back-end authentication and policies\n  none')
  })
})

describe('renderList', () => {
  const result: ListResult = {
    region: 'us-east-1',
    warnings: [],
    loadBalancers: [
      {
        loadBalancerName: 'web',
        scheme: 'internet-facing',
        dnsName: 'web.elb',
        listeners: ['HTTP 80 -> HTTP 80', 'HTTPS 443 -> HTTP 80'],
        instanceCounts: {inService: 1, registered: 2},
        nearestCertificateExpiry: {arn: 'arn:c', notAfter: '2099-01-01T00:00:00.000Z', daysToExpiry: 12},
        certificateProblems: [],
        tags: [],
      },
      {
        loadBalancerName: 'internal-api',
        scheme: 'internal',
        dnsName: 'api.elb',
        listeners: ['TCP 9000 -> TCP 9000'],
        instanceCounts: {inService: 0, registered: 0},
        certificateProblems: [],
        tags: [],
      },
    ],
  }

  it('prints tab-separated lines in a pipe and an aligned table in a terminal', () => {
    expect(renderList(result, {table: false, colors: plainColors}).split('\n')).toEqual([
      'web\tinternet-facing\tHTTP 80 -> HTTP 80, HTTPS 443 -> HTTP 80\t1/2\t12\t2099-01-01T00:00:00.000Z',
      'internal-api\tinternal\tTCP 9000 -> TCP 9000\t0/0\t-\t-',
    ])
    expect(renderList(result, {table: true, colors: plainColors}).split('\n')).toEqual([
      'NAME          SCHEME           LISTENERS                                 IN SERVICE  NEAREST CERTIFICATE EXPIRY',
      'web           internet-facing  HTTP 80 -> HTTP 80, HTTPS 443 -> HTTP 80  1/2         12 days (2099-01-01)',
      'internal-api  internal         TCP 9000 -> TCP 9000                      0/0         -',
    ])
    expect(renderList({...result, loadBalancers: []}, {table: true, colors: plainColors})).toBe(
      'No Classic Load Balancers in us-east-1.',
    )
  })

  it('colours a near expiry only when colours are on', () => {
    const coloured = renderList(result, {table: true, colors: new Chalk({level: 2})})
    expect(coloured).toContain('\u001b[33m12 days')
  })
})

describe('stdoutStyle', () => {
  it('tables and colours on a terminal only; --no-color and NO_COLOR turn colours off', () => {
    expect(stdoutStyle(true, {isTTY: true}, {}).colors.level).toBe(2)
    expect(stdoutStyle(true, {isTTY: true}, {}).table).toBe(true)
    expect(stdoutStyle(true, {isTTY: true}, {NO_COLOR: '1'}).colors.level).toBe(0)
    expect(stdoutStyle(false, {isTTY: true}, {}).colors.level).toBe(0)
    expect(stdoutStyle(true, {isTTY: false}, {})).toMatchObject({table: false})
    expect(stdoutStyle(true, {isTTY: false}, {}).colors.level).toBe(0)
  })

  it('table pads every column but the last', () => {
    expect(
      table([
        ['a', 'bb', 'c'],
        ['ccc', 'd', 'e'],
      ]),
    ).toEqual(['a    bb  c', 'ccc  d   e'])
  })
})
