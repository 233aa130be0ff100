import {InvalidInputError} from '../../../src/errors.js'
import type {Listener} from '../../../src/model.js'
import {seedListeners} from '../../../src/validate/listener.js'
import {checkWorkflowFlags, type WorkflowFlagValues} from '../../../src/validate/workflow-input.js'
import {makeCertificate, opensslPublicKeyAttribute} from '../../helpers/certs.js'

const pair = makeCertificate()
/** The seed's listeners: HTTPS 443 -> HTTP 80, so no encrypted back end. */
const seed = seedListeners({backendHttps: false})
/** HTTPS 443 -> HTTPS 443: back-end authentication possible on instance port 443. */
const backendHttps = seedListeners({backendHttps: true})
const httpOnly: Listener[] = [
  {protocol: 'HTTP', loadBalancerPort: 80, instanceProtocol: 'HTTP', instancePort: 80},
]

const check = (flags: Partial<WorkflowFlagValues>, listeners: Listener[] = seed) =>
  checkWorkflowFlags({'wait-timeout': '600', ...flags}, listeners)

/** The InvalidInputError (exit 2) the flags are refused with. */
function refusal(flags: Partial<WorkflowFlagValues>, listeners: Listener[] = seed): InvalidInputError {
  try {
    check(flags, listeners)
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError)
    expect((error as InvalidInputError).exitCode).toBe(2)
    return error as InvalidInputError
  }
  throw new Error(`accepted ${JSON.stringify(flags)}`)
}

describe('checkWorkflowFlags: what the later steps need, checked before any request', () => {
  it('reads the seed workflow flags into one input', () => {
    const input = check(
      {
        'ssl-policy': 'ELBSecurityPolicy-TLS-1-2-2017-01',
        'backend-auth-cert': [pair.certFile],
        'health-check': 'http:80/ping',
        'health-interval': '10',
        'health-timeout': '3',
        'healthy-threshold': '2',
        'unhealthy-threshold': '2',
        instances: ['i-0123456789abcdef0,i-0bb7ca62'],
        verify: true,
        'connect-to': ['example.com:443:127.0.0.1:8443'],
      },
      backendHttps,
    )
    expect(input.ssl.spec).toEqual({kind: 'predefined', name: 'ELBSecurityPolicy-TLS-1-2-2017-01'})
    expect(input.backendAuth).toEqual([
      expect.objectContaining({
        file: pair.certFile,
        publicKey: opensslPublicKeyAttribute(pair.certFile),
        source: 'certificate',
      }),
    ])
    expect(input.backendAuthPorts).toEqual([443])
    expect(input.healthCheck).toEqual({
      target: 'HTTP:80/ping',
      interval: 10,
      timeout: 3,
      healthyThreshold: 2,
      unhealthyThreshold: 2,
    })
    expect(input.instances).toEqual(['i-0123456789abcdef0', 'i-0bb7ca62'])
    // --wait defaults to any when there are instances to wait for.
    expect(input.wait).toEqual({mode: 'any', timeoutMs: 600_000})
    expect(input.verify).toEqual({connectTo: [expect.any(Object)], insecure: false})
  })

  it('asks for nothing when no workflow flag is given: no SSL spec (elbx uses its default), no wait', () => {
    const input = check({})
    expect(input).toEqual({
      ssl: {},
      backendAuth: [],
      backendAuthPorts: [],
      healthCheck: {},
      instances: [],
      wait: {mode: 'none', timeoutMs: 600_000},
    })
  })

  it('keeps --wait all and --wait none as given', () => {
    expect(check({instances: ['i-0bb7ca62'], wait: 'all'}).wait.mode).toBe('all')
    expect(check({instances: ['i-0bb7ca62'], wait: 'none'}).wait.mode).toBe('none')
    expect(check({wait: 'none'}).wait.mode).toBe('none')
  })

  it('takes a custom policy with its protocols and ciphers, and refuses a cipher elbx does not know', () => {
    const input = check({
      'ssl-protocols': 'TLSv1.2',
      'ssl-ciphers': 'ECDHE-RSA-AES128-GCM-SHA256,aes128-sha',
      'ssl-policy-name': 'my-SSLNegotiation-policy',
    })
    expect(input.ssl.spec).toEqual({
      kind: 'custom',
      protocols: ['TLSv1.2'],
      ciphers: ['ECDHE-RSA-AES128-GCM-SHA256', 'AES128-SHA'],
      serverOrder: true,
    })
    expect(input.ssl.policyName).toBe('my-SSLNegotiation-policy')
    expect(() =>
      check({'ssl-protocols': 'TLSv1.2', 'ssl-ciphers': 'ECDHE-RSA-AES128-GCM-SHA256,NOT-A-CIPHER'}),
    ).toThrow('--ssl-ciphers: "NOT-A-CIPHER" is not a cipher of Classic Load Balancers')
  })

  it.each<[string, Partial<WorkflowFlagValues>, Listener[], RegExp]>([
    [
      '--ssl-policy without an HTTPS listener',
      {'ssl-policy': 'ELBSecurityPolicy-TLS-1-2-2017-01'},
      httpOnly,
      /An SSL negotiation policy needs an HTTPS or SSL listener, and this load balancer has none/,
    ],
    [
      '--ssl-protocols/--ssl-ciphers without an HTTPS listener',
      {'ssl-protocols': 'TLSv1.2', 'ssl-ciphers': 'ECDHE-RSA-AES128-GCM-SHA256'},
      httpOnly,
      /needs an HTTPS or SSL listener/,
    ],
    [
      '--ssl-policy-name without an HTTPS listener',
      {'ssl-policy-name': 'my-policy'},
      httpOnly,
      /needs an HTTPS or SSL listener/,
    ],
    [
      'an unknown predefined policy',
      {'ssl-policy': 'ELBSecurityPolicy-1999-01'},
      seed,
      /--ssl-policy.*ELBSecurityPolicy-1999-01/,
    ],
    [
      'half a custom policy',
      {'ssl-protocols': 'TLSv1.2'},
      seed,
      /A custom SSL policy needs both --ssl-protocols and --ssl-ciphers .*--ssl-ciphers is missing/,
    ],
    [
      '--ssl-server-order without a custom policy',
      {'ssl-server-order': false},
      seed,
      /--ssl-server-order applies to a custom policy/,
    ],
    [
      '--backend-auth-cert without a secure instance protocol (the seed listener HTTPS 443 -> HTTP 80)',
      {'backend-auth-cert': [pair.certFile]},
      seed,
      /--backend-auth-cert needs a listener that sends HTTPS or SSL to the instances/,
    ],
    [
      '--backend-auth-cert with a file that is not there',
      {'backend-auth-cert': ['/nonexistent/instance.pem']},
      backendHttps,
      /--backend-auth-cert.*\/nonexistent\/instance\.pem/i,
    ],
    [
      '--backend-auth-cert with a private key',
      {'backend-auth-cert': [pair.keyFile]},
      backendHttps,
      /--backend-auth-cert.*private key/i,
    ],
    ['--wait any without --instances', {wait: 'any'}, seed, /--wait any needs instances to wait for/],
    ['--wait all without --instances', {wait: 'all'}, seed, /--wait all needs instances to wait for/],
    [
      '--connect-to without --verify',
      {'connect-to': ['example.com:443:127.0.0.1:8443']},
      seed,
      /--connect-to and --insecure apply to --verify/,
    ],
    ['--insecure without --verify', {insecure: true}, seed, /--connect-to and --insecure apply to --verify/],
    [
      'a bad --connect-to',
      {verify: true, 'connect-to': ['example.com:443']},
      seed,
      /--connect-to "example.com:443"/,
    ],
    ['a bad health check target', {'health-check': 'HTTP:80'}, seed, /Health check target "HTTP:80"/],
    [
      'a health check protocol AWS does not have',
      {'health-check': 'UDP:53'},
      seed,
      /uses protocol "UDP"; it must be TCP, SSL, HTTP or HTTPS/,
    ],
    [
      '--health-interval out of range',
      {'health-interval': '4'},
      seed,
      /--health-interval must be from 5 to 300/,
    ],
    ['--health-interval not a number', {'health-interval': 'often'}, seed, /--health-interval/],
    [
      '--health-timeout out of range',
      {'health-timeout': '61'},
      seed,
      /--health-timeout must be from 2 to 60/,
    ],
    [
      '--healthy-threshold out of range',
      {'healthy-threshold': '1'},
      seed,
      /--healthy-threshold must be from 2 to 10/,
    ],
    [
      '--unhealthy-threshold out of range',
      {'unhealthy-threshold': '11'},
      seed,
      /--unhealthy-threshold must be from 2 to 10/,
    ],
    [
      '--health-timeout not less than --health-interval',
      {'health-interval': '10', 'health-timeout': '10'},
      seed,
      /--health-timeout 10 is not less than --health-interval 10/,
    ],
    ['a bad instance ID', {instances: ['i-nope']}, seed, /"i-nope"/],
    ['a bad --wait-timeout', {instances: ['i-0bb7ca62'], 'wait-timeout': '0'}, seed, /--wait-timeout/],
  ])('refuses %s', (_what, flags, listeners, message) => {
    expect(refusal(flags, listeners).message).toMatch(message)
  })

  it('never puts the private key in a message', () => {
    const error = refusal({'backend-auth-cert': [pair.keyFile]}, backendHttps)
    const body = pair.key.split('\n')[2]!
    expect(`${error.message} ${error.hint ?? ''}`).not.toContain(body)
  })
})
