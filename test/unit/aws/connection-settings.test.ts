import {mkdtempSync, rmSync, writeFileSync, mkdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {
  checkEndpointSettings,
  checkEndpointUrl,
  checkProfileExists,
  checkRegionName,
  profileNames,
} from '../../../src/aws/connection-settings.js'
import {InvalidInputError} from '../../../src/errors.js'

const refusal = (fn: () => unknown): InvalidInputError => {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError)
    return error as InvalidInputError
  }
  throw new Error('accepted')
}

describe('checkEndpointUrl', () => {
  it.each([
    'http://127.0.0.1:5000',
    'https://elasticloadbalancing.us-east-1.amazonaws.com',
    'http://localhost/',
  ])('accepts %s', (url) => expect(checkEndpointUrl(url, '--endpoint-url')).toBe(url))

  it.each([
    ['not a url', /"not a url" is not an endpoint URL: it is not a URL\./, /http:\/\/127\.0\.0\.1:5000/],
    [
      '127.0.0.1:1',
      /"127\.0\.0\.1:1" is not an endpoint URL: it is not a URL/,
      /Did you mean http:\/\/127\.0\.0\.1:1\?/,
    ],
    ['localhost:5000', /not http or https/, /Did you mean http:\/\/localhost:5000\?/],
    ['ftp://example.com', /its scheme is ftp, not http or https/, /http:\/\/ or https:\/\//],
    ['http://', /is not an endpoint URL/, /a host/],
    ['', /is not an endpoint URL/, /http:\/\//],
  ])('refuses %j, showing the expected form', (url, message, hint) => {
    const error = refusal(() => checkEndpointUrl(url, '--endpoint-url'))
    expect(error.message).toMatch(message)
    expect(error.message).toContain('--endpoint-url')
    expect(error.hint).toMatch(hint)
  })

  it('checks the environment variables the SDK reads too, naming the one that is wrong', () => {
    expect(() => checkEndpointSettings(undefined, {AWS_ENDPOINT_URL: 'http://127.0.0.1:5000'})).not.toThrow()
    expect(
      refusal(() => checkEndpointSettings(undefined, {AWS_ENDPOINT_URL_IAM: 'moto:5000'})).message,
    ).toMatch(/^AWS_ENDPOINT_URL_IAM "moto:5000"/)
    expect(refusal(() => checkEndpointSettings('ftp://x', {})).message).toMatch(/^--endpoint-url "ftp:\/\/x"/)
  })
})

describe('checkRegionName', () => {
  it.each(['us-east-1', 'eu-central-2', 'us-gov-west-1', 'cn-north-1', 'ap-southeast-4', 'il-central-1'])(
    'accepts %s',
    (region) => expect(checkRegionName(region)).toBe(region),
  )

  it.each(['us-east', 'US-EAST-1', 'us_east_1', 'us-east-1a', 'not a region', ''])('refuses %j', (region) => {
    expect(refusal(() => checkRegionName(region)).message).toBe(
      `Region "${region}" is not an AWS Region name.`,
    )
  })
})

describe('checkProfileExists', () => {
  let home: string
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'elbx-profile-'))
  })
  afterEach(() => rmSync(home, {recursive: true, force: true}))

  it('reads profile names as the SDK does: [profile NAME] and [default] in config, [NAME] in credentials', () => {
    expect(
      profileNames(
        '[default]\nregion=x\n[profile dev]\n[ profile  ops ]\n[sso-session s]\n[plain]',
        'config',
      ),
    ).toEqual(['default', 'dev', 'ops'])
    expect(profileNames('[default]\r\n[ci]\r\n# [commented]\n', 'credentials')).toEqual(['default', 'ci'])
  })

  it('accepts a profile of either file, at the default paths or where the variables point', () => {
    mkdirSync(join(home, '.aws'))
    writeFileSync(join(home, '.aws', 'config'), '[profile dev]\nregion = us-east-1\n')
    writeFileSync(join(home, 'creds'), '[ci]\naws_access_key_id = x\n')
    expect(() => checkProfileExists('dev', '--profile', {HOME: home})).not.toThrow()
    expect(() =>
      checkProfileExists('ci', '--profile', {HOME: home, AWS_SHARED_CREDENTIALS_FILE: '~/creds'}),
    ).not.toThrow()
  })

  it('refuses a missing profile in one message naming the profile, the files looked in and the profiles there', () => {
    mkdirSync(join(home, '.aws'))
    writeFileSync(join(home, '.aws', 'config'), '[default]\n[profile dev]\n')
    const error = refusal(() => checkProfileExists('no-such-profile', '--profile', {HOME: home}))
    expect(error.message).toBe(
      `Profile "no-such-profile" (--profile) is in neither ${join(home, '.aws', 'config')} nor ${join(home, '.aws', 'credentials')} (no such file).`,
    )
    expect(error.hint).toContain('Profiles there: default, dev.')
    expect(error.hint).toContain('AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE')
    const fromEnv = refusal(() =>
      checkProfileExists('x', 'AWS_PROFILE', {HOME: home, AWS_CONFIG_FILE: join(home, 'elsewhere')}),
    )
    expect(fromEnv.message).toContain(`(AWS_PROFILE) is in neither ${join(home, 'elsewhere')} (no such file)`)
  })
})
