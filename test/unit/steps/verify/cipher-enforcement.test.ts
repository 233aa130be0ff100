import type {ListenerSslPolicy} from '../../../../src/steps/ssl-policy.js'
import {cipherKeyType} from '../../../../src/steps/verify/cipher-suites.js'
import {describeCipherEnforcement, enumerateCiphers} from '../../../../src/steps/verify/cipher-enforcement.js'
import type {TlsRequest, VerifyNetwork} from '../../../../src/steps/verify/network.js'
import type {ProbeContext} from '../../../../src/steps/verify/probes.js'

const POLICY: ListenerSslPolicy = {
  policyName: 'elbx-ssl-1',
  referencePolicy: 'ELBSecurityPolicy-TLS-1-2-2017-01',
  protocols: ['TLSv1.2'],
  ciphers: ['ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256', 'AES128-GCM-SHA256'],
  serverOrder: true,
} as ListenerSslPolicy

const refused = () =>
  Object.assign(new Error('alert'), {
    code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
    reason: 'sslv3 alert handshake failure',
  })

/** A listener with an RSA key that accepts `accepts` (in its order) on TLS 1.2; logs every handshake. */
function listener(accepts: string[], offerable: string[]) {
  const requests: TlsRequest[] = []
  const network = {
    canOfferCipher: (c: string) => offerable.includes(c),
    tls: async (request: TlsRequest) => {
      requests.push(request)
      const cipher = accepts.find((c) => request.ciphers?.includes(c))
      if (!cipher || request.onlyProtocol !== 'TLSv1.2') throw refused()
      return {
        protocol: 'TLSv1.2',
        cipher,
        authorized: true,
        handshakeMs: 1,
        keyExchange: {type: 'ECDH', name: request.group ?? 'X25519', size: 253},
      }
    },
  } as unknown as VerifyNetwork
  const ctx = {network, host: 'www.example.com', timeoutMs: 1000} as ProbeContext
  return {ctx, requests}
}

const OFFERABLE = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-SHA',
  'AES128-SHA',
  'NULL-SHA256',
]
const endpoint = {host: '127.0.0.1', port: 443}

describe('cipherKeyType', () => {
  it('names the certificate key each cipher needs', () => {
    expect(
      [
        'ECDHE-ECDSA-AES128-GCM-SHA256',
        'ECDHE-RSA-AES128-SHA',
        'AES128-SHA',
        'DHE-DSS-AES128-SHA',
        'ADH-AES128-SHA',
      ].map(cipherKeyType),
    ).toEqual(['ec', 'rsa', 'rsa', 'dsa', undefined])
  })
})

describe('enumerateCiphers', () => {
  it("offers the policy's ciphers alone and the others in one handshake; ciphers for another key are not offered", async () => {
    const {ctx, requests} = listener(['ECDHE-RSA-AES128-GCM-SHA256', 'AES128-GCM-SHA256'], OFFERABLE)
    const result = await enumerateCiphers(ctx, endpoint, POLICY, ['TLSv1.2'], 'rsa')
    const offered = requests.filter((r) => !r.group).map((r) => r.ciphers!.join(' '))
    expect(offered).toEqual([
      'ECDHE-RSA-AES128-GCM-SHA256',
      'AES128-GCM-SHA256',
      'ECDHE-RSA-AES128-SHA AES128-SHA NULL-SHA256',
      // The server order probe: the two allowed ciphers, both ways.
      'ECDHE-RSA-AES128-GCM-SHA256 AES128-GCM-SHA256',
      'AES128-GCM-SHA256 ECDHE-RSA-AES128-GCM-SHA256',
    ])
    // No ECDSA cipher is offered with an RSA certificate, not even the one the policy enables.
    expect(requests.some((r) => r.ciphers?.some((c) => c.includes('ECDSA')))).toBe(false)
    expect(result.notApplicable).toEqual({
      keyType: 'rsa',
      ciphers: expect.arrayContaining(['ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES256-GCM-SHA384']),
    })
    expect(result.accepted).toEqual({'TLSv1.2': ['ECDHE-RSA-AES128-GCM-SHA256', 'AES128-GCM-SHA256']})
    expect(result.notEnabled).toEqual([])
    // Groups: X25519 was seen in the cipher handshakes; the other four are offered one at a time.
    expect(requests.filter((r) => r.group)).toHaveLength(4)
    expect(result.handshakes).toBe(requests.length)
    expect(result.handshakes).toBe(3 + 2 + 4)
    const {pass} = describeCipherEnforcement(result, 'elbx-ssl-1')
    expect(pass).toContainEqual(
      expect.stringMatching(
        /^\d+ ciphers not applicable to this key type \(the certificate's key is RSA\), so not offered: ECDHE-ECDSA-/,
      ),
    )
    expect(pass[0]).toBe(
      'TLSv1.2 ciphers: 2 accepted (ECDHE-RSA-AES128-GCM-SHA256, AES128-GCM-SHA256), 3 refused (3 the policy does not enable, offered together in one handshake)',
    )
  })

  it('offers the others one at a time when the listener accepts one of them, naming each it accepts', async () => {
    const {ctx, requests} = listener(['ECDHE-RSA-AES128-GCM-SHA256', 'AES128-SHA', 'NULL-SHA256'], OFFERABLE)
    const result = await enumerateCiphers(ctx, endpoint, POLICY, ['TLSv1.2'], 'rsa')
    expect(result.notEnabled).toEqual([
      {protocol: 'TLSv1.2', cipher: 'AES128-SHA'},
      {protocol: 'TLSv1.2', cipher: 'NULL-SHA256'},
    ])
    const alone = requests.filter((r) => !r.group && r.ciphers!.length === 1).map((r) => r.ciphers![0])
    expect(alone).toEqual(expect.arrayContaining(['ECDHE-RSA-AES128-SHA', 'AES128-SHA', 'NULL-SHA256']))
  })

  it('offers every applicable cipher when the key type is not known', async () => {
    const {ctx, requests} = listener(['ECDHE-RSA-AES128-GCM-SHA256'], OFFERABLE)
    const result = await enumerateCiphers(ctx, endpoint, POLICY, ['TLSv1.2'])
    expect(result.notApplicable).toBeUndefined()
    expect(requests.some((r) => r.ciphers?.includes('ECDHE-ECDSA-AES128-GCM-SHA256'))).toBe(true)
  })
})
