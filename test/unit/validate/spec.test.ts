import {readFileSync, writeFileSync} from 'node:fs'

import {InvalidInputError} from '../../../src/errors.js'
import {parseSpecs} from '../../../src/validate/spec.js'
import {SPEC_SCHEMA} from '../../../src/validate/spec-schema.js'
import {makeCertificate} from '../../helpers/certs.js'

const ACM = 'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012'

const good = `version: elbx/v1
name: my-lb
scheme: internet-facing
availabilityZones: [us-east-1a]
listeners:
  - protocol: HTTP
    loadBalancerPort: 80
    instanceProtocol: HTTP
    instancePort: 80
  - protocol: HTTPS
    loadBalancerPort: 443
    instanceProtocol: HTTP
    instancePort: 80
    certificate: ${ACM}
    sslPolicy: ELBSecurityPolicy-TLS-1-2-2017-01
healthCheck:
  target: HTTP:80/ping
  interval: 30
attributes:
  crossZoneLoadBalancing: true
  connectionDraining: false
tags:
  team: web
`

/** The error a bad spec gives: its message, and the line and field it names. */
function refusal(text: string): InvalidInputError {
  try {
    parseSpecs(text, 'lb.yaml')
  } catch (error) {
    if (error instanceof InvalidInputError) return error
    throw error
  }
  throw new Error('the spec was accepted')
}

describe('spec files', () => {
  it('reads a YAML spec into checked values', () => {
    const [c] = parseSpecs(good, 'lb.yaml').checked
    expect(c).toMatchObject({
      name: 'my-lb',
      network: {availabilityZones: ['us-east-1a']},
      listeners: [
        {protocol: 'HTTP', loadBalancerPort: 80},
        {protocol: 'HTTPS', loadBalancerPort: 443, sslCertificateId: ACM},
      ],
      sslPolicies: [
        {loadBalancerPort: 443, spec: {kind: 'predefined', name: 'ELBSecurityPolicy-TLS-1-2-2017-01'}},
      ],
      healthCheck: {target: 'HTTP:80/ping', interval: 30},
      attributes: {crossZoneLoadBalancing: true, connectionDraining: {enabled: false}},
      tags: [{key: 'team', value: 'web'}],
    })
    expect(c!.instances).toBeUndefined()
  })

  it('reads the same spec as JSON', () => {
    const json = JSON.stringify({
      version: 'elbx/v1',
      name: 'my-lb',
      listeners: [{protocol: 'TCP', loadBalancerPort: 5000, instanceProtocol: 'TCP', instancePort: 5000}],
    })
    expect(parseSpecs(json, 'lb.json').checked[0]!.listeners).toHaveLength(1)
  })

  it.each([
    [
      'a wrong type',
      good.replace('loadBalancerPort: 443', 'loadBalancerPort: "443"'),
      11,
      'listeners[1].loadBalancerPort must be an integer',
    ],
    [
      'an unknown field',
      good.replace('  interval: 30', '  intervall: 30'),
      18,
      'healthCheck.intervall is not a field here: did you mean interval?',
    ],
    [
      'a bad enum',
      good.replace('protocol: HTTPS', 'protocol: HTTPX'),
      10,
      'listeners[1].protocol must be one of HTTP, HTTPS, TCP, SSL (got "HTTPX")',
    ],
    [
      'a value out of range',
      good.replace('interval: 30', 'interval: 3'),
      18,
      'healthCheck.interval must be at least 5',
    ],
    [
      'a missing field',
      good.replace('    instancePort: 80\n  - protocol: HTTPS', '  - protocol: HTTPS'),
      6,
      'listeners[0].instancePort is missing',
    ],
    ['a bad ID', good.replace('[us-east-1a]', '[us-east-1]'), 4, 'availabilityZones[0] must be'],
    [
      'a reserved tag',
      good.replace('team: web', 'aws:team: web'),
      23,
      'tags: tags key "aws:team" starts with "aws:"',
    ],
    [
      'an unknown cipher',
      good.replace(
        'sslPolicy: ELBSecurityPolicy-TLS-1-2-2017-01',
        'sslPolicy: {protocols: [TLSv1.2], ciphers: [NOPE]}',
      ),
      15,
      'listeners[1].sslPolicy.ciphers',
    ],
    [
      'an unknown predefined policy',
      good.replace('TLS-1-2-2017-01', 'TLS-9'),
      15,
      'is not a predefined SSL security policy',
    ],
    [
      'a listener pair AWS refuses',
      good.replace(
        'instanceProtocol: HTTP\n    instancePort: 80\n    certificate',
        'instanceProtocol: TCP\n    instancePort: 80\n    certificate',
      ),
      10,
      'a HTTPS front end needs an HTTP or HTTPS instance protocol',
    ],
    [
      'an SSL policy on a plain listener',
      good.replace(
        '    instancePort: 80\n  - protocol: HTTPS',
        '    instancePort: 80\n    sslPolicy: ELBSecurityPolicy-2016-08\n  - protocol: HTTPS',
      ),
      10,
      'listeners[0].sslPolicy applies to HTTPS and SSL listeners only',
    ],
    [
      'a timeout not below the interval',
      good.replace('interval: 30', 'interval: 10\n  timeout: 10'),
      19,
      'healthCheck.timeout',
    ],
    ['a wrong version', good.replace('elbx/v1', 'elbx/v9'), 1, 'version must be "elbx/v1"'],
    ['bad YAML', `${good}  - [`, 24, 'not valid YAML or JSON'],
    [
      'a key given twice',
      good.replace('scheme: internet-facing', 'scheme: internet-facing\nscheme: internal'),
      4,
      'not valid YAML or JSON',
    ],
  ])('refuses %s, naming the line and the field', (_what, text, line, message) => {
    const error = refusal(text)
    expect(error.exitCode).toBe(2)
    expect(error.message).toContain(`lb.yaml:${line}:`)
    expect(error.message).toContain(message)
  })

  it('lists every schema problem in the details, the first in the message', () => {
    const error = refusal(
      good.replace('interval: 30', 'interval: 3').replace('loadBalancerPort: 80', 'loadBalancerPort: 0'),
    )
    expect(error.message).toMatch(/and 1 more problem\b/)
    expect(error.details?.problems).toHaveLength(2)
  })

  it('reads certificate files relative to the spec file and never keeps a private key in an error', () => {
    const pair = makeCertificate()
    const text = good
      .replace(`    certificate: ${ACM}\n`, '')
      .replace(
        'listeners:',
        'certificate:\n  certificateFile: cert.pem\n  privateKeyFile: key.pem\nlisteners:',
      )
    const [c] = parseSpecs(text, 'lb.yaml', {baseDir: pair.dir}).checked
    expect(c!.certificate).toMatchObject({kind: 'upload'})
    const missing = refusal(text.replace('key.pem', 'nope.pem'))
    expect(missing.message).toMatch(/^lb\.yaml:\d+: certificate: /)
  })

  it('reads several load balancers and refuses one named twice', () => {
    const list = `version: elbx/v1
loadBalancers:
  - name: a
    listeners: [{protocol: TCP, loadBalancerPort: 1, instanceProtocol: TCP, instancePort: 1}]
  - name: a
    listeners: [{protocol: TCP, loadBalancerPort: 1, instanceProtocol: TCP, instancePort: 1}]
`
    expect(refusal(list).message).toContain('lb.yaml:5: loadBalancers[1].name "a" is named twice')
    expect(
      parseSpecs(
        list.replace(
          '- name: a\n    listeners: [{protocol: TCP, loadBalancerPort: 1, instanceProtocol: TCP, instancePort: 1}]\n  - name: a',
          '- name: a\n    listeners: [{protocol: TCP, loadBalancerPort: 1, instanceProtocol: TCP, instancePort: 1}]\n  - name: b',
        ),
        'lb.yaml',
      ).checked,
    ).toHaveLength(2)
  })

  it('schema/load-balancer.schema.json is the schema the code checks with', () => {
    const file = new URL('../../../schema/load-balancer.schema.json', import.meta.url)
    const text = `${JSON.stringify(SPEC_SCHEMA, null, 2)}\n`
    // UPDATE_SCHEMA=1 rewrites the file after a change to src/validate/spec-schema.ts.
    if (process.env.UPDATE_SCHEMA) writeFileSync(file, text)
    expect(readFileSync(file, 'utf8')).toBe(text)
  })
})
