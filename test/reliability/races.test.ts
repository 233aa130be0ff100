/**
 * Two runs racing, and lost answers. The certificate race runs over moto's IAM (which, patched,
 * answers a second UploadServerCertificate of a name with EntityAlreadyExists, as AWS does): the
 * other run's upload lands right after this run looked for the name, the moment the race turns on.
 * The load balancer race plays AWS with fake gateways, because whether AWS keeps or replaces the
 * tags of an identical second CreateLoadBalancer is not documented and both ways are tested; the
 * race of two whole runs over moto is in concurrency.test.ts, lost answers over moto in faults.test.ts.
 */
import {UploadServerCertificateCommand} from '@aws-sdk/client-iam'

import type {ElbGateway, IamGateway} from '../../src/aws/gateways.js'
import type {LoadBalancer, SecurityGroup, Tag} from '../../src/model.js'
import {checkCertificateFiles} from '../../src/pem/certificate.js'
import {uploadCertificate} from '../../src/steps/certificate.js'
import {
  ensureLoadBalancer,
  loadBalancerResource,
  type LoadBalancerSpec,
} from '../../src/steps/load-balancer.js'
import {formatRollbackReport, Rollback} from '../../src/steps/rollback.js'
import {ensureSecurityGroup} from '../../src/steps/security-group.js'
import {makeCertificate, type CertificatePair} from '../helpers/certs.js'
import {motoGateways, sdkClients} from '../helpers/moto.js'
import {fakeEc2, fakeElb} from '../unit/steps/fakes.js'

const pair = makeCertificate()
const other = makeCertificate()
const checked = checkCertificateFiles({certificateFile: pair.certFile, privateKeyFile: pair.keyFile})

/** IAM's answer to an upload under a name that exists (fake gateways below play AWS with it). */
const entityAlreadyExists = () =>
  Object.assign(new Error('The Server Certificate with name x already exists.'), {
    name: 'EntityAlreadyExistsException',
    $metadata: {httpStatusCode: 409},
  })

let aws: Awaited<ReturnType<typeof motoGateways>>
beforeAll(async () => {
  aws = await motoGateways()
})
afterAll(() => aws.close())

/** elbx's IAM gateway on moto, where another run uploads `theirs` just after this run's first look. */
function racingIam(theirs: CertificatePair): IamGateway & {uploads: number} {
  let looked = false
  const real = aws.iam
  const gateway = Object.assign(Object.create(real) as IamGateway, {
    uploads: 0,
    async getServerCertificate(name: string) {
      if (looked) return real.getServerCertificate(name)
      looked = true
      const {iam} = sdkClients()
      try {
        await iam.send(
          new UploadServerCertificateCommand({
            ServerCertificateName: name,
            CertificateBody: theirs.cert,
            PrivateKey: theirs.key,
          }),
        )
      } finally {
        iam.destroy()
      }
      return undefined
    },
    async uploadServerCertificate(...args: Parameters<IamGateway['uploadServerCertificate']>) {
      gateway.uploads++
      return real.uploadServerCertificate(...args)
    },
  })
  return gateway
}

describe('two creates uploading the same certificate at once (AWS: EntityAlreadyExists)', () => {
  it('the run that loses the upload reuses the certificate and does not claim it (so never rolls it back)', async () => {
    const iam = racingIam(pair)
    const result = await uploadCertificate(iam, {
      name: 'elbx-web-abc',
      loadBalancerName: 'web',
      certificate: checked,
    })
    expect(result).toEqual({
      name: 'elbx-web-abc',
      arn: 'arn:aws:iam::123456789012:server-certificate/elbx-web-abc',
      created: false,
    })
    expect(iam.uploads).toBe(1)
  })

  it('a different certificate under that name is still an error', async () => {
    const iam = racingIam(other)
    await expect(
      uploadCertificate(iam, {name: 'elbx-web-def', loadBalancerName: 'web', certificate: checked}),
    ).rejects.toThrow(/IAM already holds a different server certificate named "elbx-web-def"/)
  })
})

/** An error shaped like the SDK's for a wire code. */
const awsError = (name: string) =>
  Object.assign(new Error(`${name} (fake)`), {name, $metadata: {httpStatusCode: 400}})

const spec = (name: string): LoadBalancerSpec => ({
  name,
  listeners: [{protocol: 'HTTP', loadBalancerPort: 80, instanceProtocol: 'HTTP', instancePort: 80}],
  scheme: 'internet-facing',
  subnets: ['subnet-11111111'],
  availabilityZones: [],
  securityGroups: ['sg-11111111'],
  tags: [{key: 'team', value: 'web'}],
})

/**
 * ELB as AWS behaves: an identical second CreateLoadBalancer succeeds. Whether its tags replace
 * the first call's is not documented, so both ways are played.
 */
function awsElb(
  secondCreateTags: 'kept' | 'replaced',
  /** How many describes answer "none" whatever exists: the runs looked before either created it. */
  blindDescribes = 0,
) {
  let lb: LoadBalancer | undefined
  let tags: Tag[] = []
  const state = {deleted: 0}
  const elb = fakeElb({
    describeLoadBalancer: async () => (blindDescribes-- > 0 ? undefined : lb),
    async createLoadBalancer(input) {
      if (!lb || secondCreateTags === 'replaced') tags = input.tags ?? []
      lb ??= {
        name: input.name,
        dnsName: `${input.name}-1.us-east-1.elb.amazonaws.com`,
        scheme: input.scheme ?? 'internet-facing',
        vpcId: 'vpc-11111111',
        subnets: input.subnets ?? [],
        availabilityZones: ['us-east-1a'],
        securityGroups: input.securityGroups ?? [],
        listeners: input.listeners.map((listener) => ({listener, policyNames: []})),
        backendServers: [],
        instanceIds: [],
        policies: {appCookieStickiness: [], lbCookieStickiness: [], other: []},
      }
      return {dnsName: lb.dnsName}
    },
    async describeTags() {
      if (!lb) throw awsError('AccessPointNotFoundException')
      return tags
    },
    async deleteLoadBalancer() {
      state.deleted++
      lb = undefined
    },
  })
  return {elb, state, exists: () => lb !== undefined}
}

/** The same ELB, answering CreateLoadBalancer with DuplicateLoadBalancerName (as a retry meets it on moto, or a different configuration on AWS). */
const refusingCreate = (elb: ElbGateway): ElbGateway =>
  fakeElb({
    describeLoadBalancer: elb.describeLoadBalancer,
    describeTags: elb.describeTags,
    createLoadBalancer: async () => {
      throw awsError('DuplicateAccessPointNameException')
    },
  })

/** One run's first-run create of the load balancer, journalled as create.ts does. */
async function createAsRun(elb: ElbGateway, rollback: Rollback) {
  return ensureLoadBalancer(elb, spec('web'), {
    runMark: rollback.mark,
    onCreated: () => rollback.record(loadBalancerResource(elb, 'web', 'us-east-1', rollback.mark)),
  })
}

describe('two identical first-run creates on AWS both succeed: only the run whose mark the load balancer carries rolls it back', () => {
  it.each(['kept', 'replaced'] as const)(
    'tags of the second CreateLoadBalancer %s; each run fails after it, one after the other',
    async (secondCreateTags) => {
      const aws = awsElb(secondCreateTags, 2)
      const a = new Rollback()
      const b = new Rollback()
      // Both describe (nothing yet), both create: AWS answers both with success.
      expect(await createAsRun(aws.elb, a)).toMatchObject({created: true})
      expect(await createAsRun(aws.elb, b)).toMatchObject({created: true})
      const owner = secondCreateTags === 'kept' ? a : b
      const other = owner === a ? b : a

      // The run that does not own it fails first: its rollback leaves the load balancer alone.
      const otherReport = await other.undo()
      expect(otherReport.removed).toEqual([])
      expect(otherReport.leftToOtherRun.map((r) => r.id)).toEqual(['web'])
      expect(formatRollbackReport(otherReport, true)).toEqual([
        "Left load-balancer web alone: another elbx run created it at the same time, and it carries that run's mark.",
      ])
      expect(aws.exists()).toBe(true)

      // The owner's rollback removes it.
      const ownerReport = await owner.undo()
      expect(ownerReport.removed.map((r) => r.id)).toEqual(['web'])
      expect(aws.state.deleted).toBe(1)
      expect(aws.exists()).toBe(false)
    },
  )

  it('the run mark goes with CreateLoadBalancer, after the tags the user gave', async () => {
    const created: Tag[][] = []
    const rollback = new Rollback()
    const elb = fakeElb({
      describeLoadBalancer: async () => undefined,
      async createLoadBalancer(input) {
        created.push(input.tags ?? [])
        return {dnsName: 'web-1.elb.amazonaws.com'}
      },
    })
    await createAsRun(elb, rollback)
    expect(created).toEqual([[{key: 'team', value: 'web'}, rollback.mark]])
    expect(rollback.mark).toEqual({key: 'elbx:run', value: expect.stringMatching(/^[0-9a-f-]{36}$/)})
    expect(new Rollback().mark.value).not.toBe(rollback.mark.value)
  })
})

describe("a lost create answer, retried into a duplicate (AWS): claimed only with this run's mark", () => {
  it("DuplicateLoadBalancerName for a load balancer with this run's mark: created, and journalled", async () => {
    const rollback = new Rollback()
    // The first attempt made it (with this run's mark); its answer was lost, and the retry is refused.
    const aws = awsElb('kept', 1)
    await aws.elb.createLoadBalancer({...spec('web'), tags: [...spec('web').tags, rollback.mark]})
    expect(await createAsRun(refusingCreate(aws.elb), rollback)).toMatchObject({created: true})
    expect(rollback.created.map((r) => r.id)).toEqual(['web'])
  })

  it("DuplicateLoadBalancerName for the same load balancer with another run's mark: unchanged, not journalled", async () => {
    const aws = awsElb('kept', 1)
    await aws.elb.createLoadBalancer({...spec('web'), tags: [...spec('web').tags, new Rollback().mark]})
    const rollback = new Rollback()
    expect(await createAsRun(refusingCreate(aws.elb), rollback)).toMatchObject({created: false})
    expect(rollback.created).toEqual([])
  })

  it("InvalidGroup.Duplicate for a group with this run's mark: created, journalled, rules added", async () => {
    const mark = new Rollback().mark
    const group = (tags: Tag[]): SecurityGroup => ({
      groupId: 'sg-12345678',
      groupName: 'elbx-web',
      vpcId: 'vpc-11111111',
      tags: [{key: 'elbx:load-balancer', value: 'web'}, ...tags],
      ingress: [],
    })
    for (const [tags, created] of [
      [[mark], true],
      [[{key: 'elbx:run', value: 'another-run'}], false],
    ] as const) {
      let looked = 0
      const authorized: unknown[] = []
      const journal: string[] = []
      const ec2 = fakeEc2({
        describeSecurityGroups: async () => (looked++ === 0 ? [] : [group([...tags])]),
        createSecurityGroup: async () => {
          throw awsError('InvalidGroup.Duplicate')
        },
        authorizeIngress: async (_id, rules) => {
          authorized.push(...rules)
        },
      })
      const ensured = await ensureSecurityGroup(
        ec2,
        {loadBalancerName: 'web', vpcId: 'vpc-11111111', ports: [443], cidrs: ['0.0.0.0/0'], runMark: mark},
        (id) => journal.push(id),
      )
      expect(ensured).toMatchObject({groupId: 'sg-12345678', created})
      expect(journal).toEqual(created ? ['sg-12345678'] : [])
      expect(authorized).toHaveLength(1)
    }
  })

  it("EntityAlreadyExists for the same certificate with this run's mark: created (so rolled back)", async () => {
    const mark = new Rollback().mark
    for (const [tags, created] of [
      [[mark], true],
      [[], false],
    ] as const) {
      let uploaded = false
      const iam = {
        async getServerCertificate(name: string) {
          if (!uploaded) return undefined
          return {
            name,
            arn: `arn:aws:iam::123456789012:server-certificate/${name}`,
            certificateBody: pair.cert,
            tags: [...tags],
          }
        },
        async uploadServerCertificate() {
          uploaded = true
          throw entityAlreadyExists()
        },
      } as unknown as IamGateway
      const result = await uploadCertificate(iam, {
        name: 'elbx-web-abc',
        loadBalancerName: 'web',
        certificate: checked,
        runMark: mark,
      })
      expect(result).toMatchObject({name: 'elbx-web-abc', created})
    }
  })
})
