import {SdkElbGateway} from '../../../src/aws/elb-gateway.js'
import type {ElasticLoadBalancingClient} from '../../../src/aws/sdk/elb.js'

/** A client that answers each command from a list, recording what it was sent. */
function client(answers: object[]) {
  const sent: {name: string; input: Record<string, unknown>}[] = []
  const fake = {
    send: async (command: {constructor: {name: string}; input: Record<string, unknown>}) => {
      sent.push({name: command.constructor.name, input: command.input})
      return answers.shift() ?? {}
    },
  }
  return {sent, gateway: new SdkElbGateway(fake as unknown as ElasticLoadBalancingClient)}
}

const description = (name: string) => ({
  LoadBalancerName: name,
  DNSName: `${name}.elb`,
  ListenerDescriptions: [],
})

describe('SdkElbGateway reads for show and list', () => {
  it('listLoadBalancers follows NextMarker to the last page, 400 a page', async () => {
    const {sent, gateway} = client([
      {LoadBalancerDescriptions: [description('a'), description('b')], NextMarker: 'm1'},
      {LoadBalancerDescriptions: [description('c')]},
    ])
    expect((await gateway.listLoadBalancers()).map((l) => l.name)).toEqual(['a', 'b', 'c'])
    expect(sent.map((s) => s.input)).toEqual([
      {Marker: undefined, PageSize: 400},
      {Marker: 'm1', PageSize: 400},
    ])
  })

  it('describeTagsOf asks for every name in one DescribeTags and maps the answer by name', async () => {
    const {sent, gateway} = client([
      {
        TagDescriptions: [
          {LoadBalancerName: 'a', Tags: [{Key: 'team', Value: 'web'}]},
          {LoadBalancerName: 'b', Tags: []},
        ],
      },
    ])
    const tags = await gateway.describeTagsOf(['a', 'b'])
    expect(sent).toEqual([{name: 'DescribeTagsCommand', input: {LoadBalancerNames: ['a', 'b']}}])
    expect([...tags]).toEqual([
      ['a', [{key: 'team', value: 'web'}]],
      ['b', []],
    ])
    expect(await gateway.describeTagsOf([])).toEqual(new Map())
    expect(sent).toHaveLength(1)
  })
})
