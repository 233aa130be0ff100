import {InvalidInputError} from '../../../src/errors.js'
import {checkCreateFlags} from '../../../src/validate/create-input.js'
import {checkFilePath} from '../../../src/validate/file-path.js'
import {checkGivenWorkflowValues} from '../../../src/validate/workflow-input.js'

describe('an empty value for a file flag', () => {
  it.each(['', ' ', '\t'])('%j is a usage error naming the flag', (value) => {
    expect(() => checkFilePath('--chain-file', value)).toThrow(
      new InvalidInputError('--chain-file is empty: it needs the path of a file.'),
    )
  })

  it('a path is returned as given', () => {
    expect(checkFilePath('--cert', 'cert.pem')).toBe('cert.pem')
  })

  it.each(['certificate-file', 'private-key-file', 'chain-file'])(
    'create --%s "" is refused, not ignored',
    (flag) => {
      const flags = {
        name: 'web',
        https: true,
        'certificate-file': 'cert.pem',
        'private-key-file': 'key.pem',
        [flag]: '',
      }
      expect(() => checkCreateFlags(flags)).toThrow(`--${flag} is empty`)
    },
  )

  it('create --backend-auth-cert "" is refused', () => {
    expect(() => checkGivenWorkflowValues({'wait-timeout': '600', 'backend-auth-cert': ['']})).toThrow(
      '--backend-auth-cert is empty',
    )
  })
})
