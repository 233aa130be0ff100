import {InvalidInputError} from '../../../src/errors.js'
import {instanceIdProblem, parseInstanceIds} from '../../../src/validate/instance-ids.js'

describe('instance IDs', () => {
  it('accepts the old 8-digit and the current 17-digit forms', () => {
    expect(instanceIdProblem('i-4f8cf126')).toBeUndefined()
    expect(instanceIdProblem('i-0123456789abcdef0')).toBeUndefined()
  })

  it.each([
    ['i-4f8cf12', 'has 7 hexadecimal digits after "i-"; it must have 8 or 17'],
    ['i-0123456789abcdef', 'has 16 hexadecimal digits'],
    ['i-4F8CF126', 'has upper-case letters'],
    ['i-4f8cf12g', 'is not an EC2 instance ID'],
    ['ami-4f8cf126', 'is not an EC2 instance ID'],
  ])('%s: %s', (id, problem) => {
    expect(instanceIdProblem(id)).toContain(problem)
  })

  it('splits commas and spaces across repeated flags, keeping order', () => {
    expect(parseInstanceIds(['i-4f8cf126,i-0bb7ca62', ' i-0123456789abcdef0 '])).toEqual([
      'i-4f8cf126',
      'i-0bb7ca62',
      'i-0123456789abcdef0',
    ])
    expect(parseInstanceIds(['i-4f8cf126 i-0bb7ca62'])).toEqual(['i-4f8cf126', 'i-0bb7ca62'])
  })

  it('refuses duplicates, empty values and bad IDs with exit 2', () => {
    expect(() => parseInstanceIds(['i-4f8cf126', 'i-4f8cf126'])).toThrow(
      'Instance i-4f8cf126 is listed twice',
    )
    expect(() => parseInstanceIds([' , '])).toThrow('--instances is empty')
    expect(() => parseInstanceIds(['i-4f8cf126,oops'])).toThrow(InvalidInputError)
  })

  it("refuses more IDs than AWS's quota of registered instances per load balancer, stating it", () => {
    const ids = (n: number) => Array.from({length: n}, (_, i) => `i-${i.toString(16).padStart(17, '0')}`)
    expect(parseInstanceIds([ids(1000).join(',')])).toHaveLength(1000)
    const error = (() => {
      try {
        parseInstanceIds([ids(1001).join(',')])
      } catch (e) {
        return e as InvalidInputError
      }
      throw new Error('1,001 IDs were accepted')
    })()
    expect(error).toBeInstanceOf(InvalidInputError)
    expect(error.message).toBe(
      '--instances lists 1001 instances; a load balancer can have at most 1,000 registered.',
    )
    expect(error.hint).toContain("AWS's quota of registered instances per Classic Load Balancer")
  })
})
