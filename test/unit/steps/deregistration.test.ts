import {deregistrationWait} from '../../../src/steps/deregistration.js'

describe('deregistrationWait: how long to wait for deregistered instances to leave', () => {
  it('without connection draining waits the usual 600 s', () => {
    expect(deregistrationWait({connectionDraining: {enabled: false}})).toEqual({timeoutMs: 600_000})
  })

  it('with draining allows its timeout plus 60 s, never less than 600 s', () => {
    expect(deregistrationWait({connectionDraining: {enabled: true, timeout: 3600}})).toEqual({
      drainingSeconds: 3600,
      timeoutMs: 3_660_000,
    })
    expect(deregistrationWait({connectionDraining: {enabled: true, timeout: 30}})).toEqual({
      drainingSeconds: 30,
      timeoutMs: 600_000,
    })
  })

  it("takes ELB's 300 s when draining is on without a timeout", () => {
    expect(deregistrationWait({connectionDraining: {enabled: true}}).drainingSeconds).toBe(300)
  })

  it('keeps a given timeout, and warns when draining may outlast it', () => {
    const wait = deregistrationWait({connectionDraining: {enabled: true, timeout: 300}}, 120_000)
    expect(wait).toMatchObject({drainingSeconds: 300, timeoutMs: 120_000})
    expect(wait.warning).toBe(
      'Connection draining lets in-flight requests run for up to 300 s, longer than --wait-timeout 120: the wait may end first.',
    )
    expect(
      deregistrationWait({connectionDraining: {enabled: true, timeout: 60}}, 120_000).warning,
    ).toBeUndefined()
  })
})
