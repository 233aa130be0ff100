import {parseTag, parseTagChanges, parseTags} from '../../../src/validate/tags.js'

describe('tags', () => {
  it('parses key=value; the value may be empty or contain "="', () => {
    expect(parseTags(['team=web', 'empty=', 'expr=a=b', 'path=/srv/www:8080@x+y'])).toEqual([
      {key: 'team', value: 'web'},
      {key: 'empty', value: ''},
      {key: 'expr', value: 'a=b'},
      {key: 'path', value: '/srv/www:8080@x+y'},
    ])
  })

  it('counts characters, not bytes', () => {
    expect(parseTag(`k=${'é'.repeat(255)}`).value).toHaveLength(255)
  })

  it.each([
    ['team', /"team" is not key=value/],
    ['=web', /has an empty key/],
    [`${'k'.repeat(128)}=v`, /has 128 characters; at most 127 are allowed/],
    [`k=${'v'.repeat(256)}`, /has a value of 256 characters; at most 255 are allowed/],
    ['aws:owner=me', /starts with "aws:", which AWS reserves/],
    ['AWS:owner=me', /starts with "aws:"/],
    ['owner=aws:me', /value "aws:me" starts with "aws:", which AWS reserves/],
    ['owner=AWS:me', /value "AWS:me" starts with "aws:"/],
    [' lead=x', /key " lead" starts with a space/],
    ['trail =x', /key "trail " ends with a space/],
    ['trail=x ', /value "x " ends with a space/],
    ['lead= x', /value " x" starts with a space/],
    ['team=web*', /value "web\*" contains "\*"/],
    ['te#am=web', /key "te#am" contains "#"/],
  ])('refuses %j', (value, message) => {
    expect(() => parseTag(value)).toThrow(message)
  })

  it("refuses a key given twice and more than 49 tags (the 50th is elbx's run mark)", () => {
    expect(() => parseTags(['a=1', 'a=2'])).toThrow('--tag key "a" is given twice.')
    const tags = (n: number) => Array.from({length: n}, (_, i) => `k${i}=v`)
    expect(parseTags(tags(49))).toHaveLength(49)
    expect(() => parseTags(tags(50))).toThrow(
      expect.objectContaining({
        message: '50 tags given; at most 49 are allowed.',
        hint: expect.stringMatching(/at most 50 tags, and elbx adds one of its own \(elbx:run/),
      }),
    )
  })
})

describe('parseTagChanges', () => {
  it('checks --remove keys by the key rules and refuses a key given to both', () => {
    expect(parseTagChanges(['team=web'], ['env', 'env'])).toEqual({
      add: [{key: 'team', value: 'web'}],
      remove: ['env'],
    })
    expect(() => parseTagChanges([], ['aws:owner'])).toThrow(/--remove key "aws:owner" starts with "aws:"/)
    expect(() => parseTagChanges([], [' env'])).toThrow(/starts with a space/)
    expect(() => parseTagChanges([], [''])).toThrow(/--remove needs a tag key/)
    expect(() => parseTagChanges(['env=prod'], ['env'])).toThrow(/given to both --add and --remove/)
  })
})
