import {describe, expect, it} from '@jest/globals'

import {SSL_CIPHERS} from '../../../../src/policy/ssl-attributes.js'
import {
  PROBED_CIPHERS,
  groupLabel,
  hasForwardSecrecy,
  isTls12Only,
} from '../../../../src/steps/verify/cipher-suites.js'
import {mapBounded} from '../../../../src/steps/verify/pool.js'

describe('the ciphers verify probes', () => {
  it("are every policy attribute and OpenSSL's others (NULL, CHACHA20), each once", () => {
    expect(PROBED_CIPHERS.slice(0, SSL_CIPHERS.length)).toEqual(SSL_CIPHERS)
    expect(PROBED_CIPHERS).toEqual(expect.arrayContaining(['NULL-SHA256', 'ECDHE-RSA-CHACHA20-POLY1305']))
    expect(new Set(PROBED_CIPHERS).size).toBe(PROBED_CIPHERS.length)
  })

  it('knows which exist only in TLS 1.2 and which have forward secrecy', () => {
    expect(
      ['AES128-GCM-SHA256', 'ECDHE-RSA-AES256-SHA384', 'NULL-SHA256', 'AES128-CCM8'].map(isTls12Only),
    ).toEqual([true, true, true, true])
    expect(['AES128-SHA', 'ECDHE-RSA-AES128-SHA', 'DES-CBC3-SHA'].map(isTls12Only)).toEqual([
      false,
      false,
      false,
    ])
    expect(
      ['ECDHE-RSA-AES128-GCM-SHA256', 'DHE-RSA-AES128-SHA', 'EDH-RSA-DES-CBC3-SHA'].every(hasForwardSecrecy),
    ).toBe(true)
    expect(['AES128-GCM-SHA256', 'RC4-SHA', 'NULL-SHA256'].some(hasForwardSecrecy)).toBe(false)
    expect([groupLabel('prime256v1'), groupLabel('X25519'), groupLabel('brainpoolP256r1')]).toEqual([
      'P-256',
      'X25519',
      'brainpoolP256r1',
    ])
  })
})

describe('mapBounded', () => {
  it('keeps the order of the items and never runs more than the limit at once', async () => {
    let running = 0
    let peak = 0
    const results = await mapBounded([5, 1, 4, 2, 3, 0, 6], 3, async (n) => {
      running++
      peak = Math.max(peak, running)
      await new Promise((resolve) => setTimeout(resolve, n))
      running--
      return n * 10
    })
    expect(results).toEqual([50, 10, 40, 20, 30, 0, 60])
    expect(peak).toBe(3)
    expect(await mapBounded([], 3, async () => 1)).toEqual([])
  })
})
