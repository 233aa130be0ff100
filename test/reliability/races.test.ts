/**
 * Two runs racing, and lost answers, as the engine's apply (applyPlan) meets them: this run has
 * observed and planned, and another run acts before this run's write. The certificate race runs over
 * moto's IAM (which, patched, answers a second UploadServerCertificate of a name with
 * EntityAlreadyExists, as AWS does): the other run's upload lands right between this run's observe
 * and its upload, the moment the race turns on. The load balancer race plays AWS with fake gateways,
 * because whether AWS keeps or replaces the tags of an identical second CreateLoadBalancer is not
 * documented and both ways are tested; the race of two whole runs over moto is in
 * concurrency.test.ts, lost answers over moto in faults.test.ts.
 */
import {UploadServerCertificateCommand} from '@aws-sdk/client-iam'

import type {Ec2Gateway, ElbGateway, Gateways, IamGateway} from '../../src/aws/gateways.js'
import type {Tag, SecurityGroup, LoadBalancer} from '../../src/model.js'
import {checkCertificateFiles} from '../../src/pem/certificate.js'
import {ApplyFailure, applyPlan} from '../../src/steps/engine/apply.js'
import type {DesiredLoadBalancer} from '../../src/steps/engine/desired.js'
import {planCreate, STEP} from '../../src/steps/engine/plan.js'
import {formatRollbackReport, Rollback} from '../../src/steps/rollback.js'
import {makeCertificate, type CertificatePair} from '../helpers/certs.js'
import {motoGateways, sdkClients} from '../helpers/moto.js'
import {desired, http80, observedNothing} from '../unit/steps/engine/fixtures.js'
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

/** An error shaped like the SDK's for a wire code. */
const awsError = (name: string) =>
  Object.assign(new Error(`${name} (fake)`), {name, $metadata: {httpStatusCode: 400}})

const gateways = (parts: {elb?: ElbGateway; ec2?: Ec2Gateway; iam?: IamGateway}): Gateways => ({
  region: 'us-east-1',
  elb: parts.elb ?? fakeElb({}),
  ec2: parts.ec2 ?? fakeEc2({}),
  iam: parts.iam ?? ({} as IamGateway),
  acm: {} as Gateways['acm'],
})

/**
 * The actions of one step of the plan of a first run (nothing observed), their dependencies on
 * other steps dropped: the race is in that step's own requests.
 */
function stepOfFirstRun(d: DesiredLoadBalancer, step: string) {
  const actions = planCreate(d, observedNothing()).actions.filter((a) => a.step === step)
  const ids = new Set(actions.map((a) => a.id))
  return actions.map((a) => ({...a, dependsOn: a.dependsOn.filter((id) => ids.has(id))}))
}

/** Applies the step as a run does: its mark on what it creates, recorded in its journal. */
async function applyAsRun(
  parts: Parameters<typeof gateways>[0],
  d: DesiredLoadBalancer,
  step: string,
  rollback: Rollback,
) {
  return applyPlan(stepOfFirstRun(d, step), {
    gateways: gateways(parts),
    desired: d,
    rollback,
    runMark: rollback.mark,
  })
}

/** The desired certificate upload of `pair`, under `name`. */
const uploading = (name: string) =>
  desired({certificate: {kind: 'upload', name, checked}, backendAuthentication: []})

let aws: Awaited<ReturnType<typeof motoGateways>>
beforeAll(async () => {
  aws = await motoGateways()
})
afterAll(() => aws.close())

/** elbx's IAM gateway on moto, where another run uploads `theirs` after this run observed and just before it uploads. */
function racingIam(theirs: CertificatePair): IamGateway & {uploads: number} {
  const real = aws.iam
  const gateway = Object.assign(Object.create(real) as IamGateway, {
    uploads: 0,
    async uploadServerCertificate(...args: Parameters<IamGateway['uploadServerCertificate']>) {
      if (gateway.uploads++ === 0) {
        const {iam} = sdkClients()
        try {
          await iam.send(
            new UploadServerCertificateCommand({
              ServerCertificateName: args[0].name,
              CertificateBody: theirs.cert,
              PrivateKey: theirs.key,
            }),
          )
        } finally {
          iam.destroy()
        }
      }
      return real.uploadServerCertificate(...args)
    },
  })
  return gateway
}

describe('two creates uploading the same certificate at once (AWS: EntityAlreadyExists)', () => {
  it('the run that loses the upload reuses the certificate and does not claim it (so never rolls it back)', async () => {
    const iam = racingIam(pair)
    const rollback = new Rollback()
    const applied = await applyAsRun({iam}, uploading('elbx-web-abc'), STEP.certificate, rollback)
    expect(applied.outputs.get('upload-certificate')).toBe(
      'arn:aws:iam::123456789012:server-certificate/elbx-web-abc',
    )
    expect(iam.uploads).toBe(1)
    expect(rollback.created).toEqual([])
  })

  it('a different certificate under that name is still an error', async () => {
    const iam = racingIam(other)
    const rollback = new Rollback()
    const failure = await applyAsRun({iam}, uploading('elbx-web-def'), STEP.certificate, rollback).then(
      () => undefined as never,
      (e: unknown) => e as ApplyFailure,
    )
    expect(failure).toBeInstanceOf(ApplyFailure)
    expect((failure.error as Error).message).toMatch(
      /IAM already holds a different server certificate named "elbx-web-def"/,
    )
    expect(rollback.created).toEqual([])
  })
})

/** The AWS guide's first listener, in the given subnet and group, tagged: nothing to create before CreateLoadBalancer. */
const loadBalancerOnly = desired({
  listeners: [http80],
  securityGroups: ['sg-11111111'],
  network: {subnets: ['subnet-0a', 'subnet-0b']},
  sslPolicies: [],
  backendAuthentication: [],
})
delete loadBalancerOnly.certificate

/**
 * ELB as AWS behaves: an identical second CreateLoadBalancer succeeds. Whether its tags replace
 * the first call's is not documented, so both ways are played.
 */
function awsElb(secondCreateTags: 'kept' | 'replaced') {
  let lb: LoadBalancer | undefined
  let tags: Tag[] = []
  const state = {deleted: 0}
  const elb = fakeElb({
    describeLoadBalancer: async () => lb,
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

/** One run's CreateLoadBalancer as the engine applies it (both runs observed no load balancer). */
const createAsRun = (elb: ElbGateway, rollback: Rollback, d = loadBalancerOnly) =>
  applyAsRun({elb}, d, STEP.loadBalancer, rollback)

/** The load balancer loadBalancerOnly describes, made by a run with `mark`. */
const madeBy = (elb: ElbGateway, mark: Tag) =>
  elb.createLoadBalancer({
    name: 'web',
    listeners: [http80],
    subnets: ['subnet-0a', 'subnet-0b'],
    securityGroups: ['sg-11111111'],
    tags: [{key: 'team', value: 'web'}, mark],
  })

describe('two identical first-run creates on AWS both succeed: only the run whose mark the load balancer carries rolls it back', () => {
  it.each(['kept', 'replaced'] as const)(
    'tags of the second CreateLoadBalancer %s; each run fails after it, one after the other',
    async (secondCreateTags) => {
      const aws = awsElb(secondCreateTags)
      const a = new Rollback()
      const b = new Rollback()
      // Both observed nothing, both create: AWS answers both with success.
      await createAsRun(aws.elb, a)
      await createAsRun(aws.elb, b)
      expect(a.created.map((r) => r.id)).toEqual(['web'])
      expect(b.created.map((r) => r.id)).toEqual(['web'])
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
    const aws = awsElb('kept')
    await madeBy(aws.elb, rollback.mark)
    const applied = await createAsRun(refusingCreate(aws.elb), rollback)
    expect(applied.outputs.get('create-load-balancer')).toBe('web-1.us-east-1.elb.amazonaws.com')
    expect(rollback.created.map((r) => r.id)).toEqual(['web'])
  })

  it("DuplicateLoadBalancerName for the same load balancer with another run's mark: used, not journalled", async () => {
    const aws = awsElb('kept')
    await madeBy(aws.elb, new Rollback().mark)
    const rollback = new Rollback()
    const applied = await createAsRun(refusingCreate(aws.elb), rollback)
    expect(applied.outputs.get('create-load-balancer')).toBe('web-1.us-east-1.elb.amazonaws.com')
    expect(rollback.created).toEqual([])
  })

  it('DuplicateLoadBalancerName for a load balancer of another configuration: exit 1 naming each difference, nothing journalled', async () => {
    const aws = awsElb('kept')
    await aws.elb.createLoadBalancer({
      name: 'web',
      listeners: [http80],
      subnets: ['subnet-0a', 'subnet-0b'],
      scheme: 'internal',
    })
    const rollback = new Rollback()
    const failure = (await createAsRun(refusingCreate(aws.elb), rollback).catch((e) => e)) as ApplyFailure
    const error = failure.error as Error & {exitCode: number; details: {differences: string[]}}
    expect(error.message).toMatch(/was created by someone else meanwhile, with a different configuration/)
    expect(error.exitCode).toBe(1)
    expect(error.details.differences).toEqual([
      'scheme is internal, not internet-facing',
      'security groups are none, not sg-11111111',
    ])
    expect(rollback.created).toEqual([])
  })

  it("InvalidGroup.Duplicate for a group with this run's mark: created, journalled, rules added", async () => {
    const rollback = new Rollback()
    const group = (tags: Tag[]): SecurityGroup => ({
      groupId: 'sg-12345678',
      groupName: 'elbx-web',
      vpcId: 'vpc-1',
      tags: [{key: 'elbx:load-balancer', value: 'web'}, ...tags],
      ingress: [],
    })
    for (const [tags, created] of [
      [[rollback.mark], true],
      [[{key: 'elbx:run', value: 'another-run'}], false],
    ] as const) {
      // A fresh journal of the run whose mark is `rollback.mark`.
      const journal = new Rollback(rollback.mark)
      const authorized: {groupId: string; rules: unknown[]}[] = []
      const ec2 = fakeEc2({
        describeSecurityGroups: async () => [group([...tags])],
        createSecurityGroup: async () => {
          throw awsError('InvalidGroup.Duplicate')
        },
        authorizeIngress: async (groupId, rules) => {
          authorized.push({groupId, rules})
        },
      })
      const d = desired({listeners: [http80]})
      await applyAsRun({ec2}, d, STEP.securityGroup, journal)
      expect(journal.created.map((r) => r.id)).toEqual(created ? ['sg-12345678'] : [])
      expect(authorized).toEqual([{groupId: 'sg-12345678', rules: [expect.objectContaining({fromPort: 80})]}])
    }
  })

  it("EntityAlreadyExists for the same certificate with this run's mark: created (so rolled back)", async () => {
    const rollback = new Rollback()
    for (const [tags, created] of [
      [[rollback.mark], true],
      [[], false],
    ] as const) {
      const iam = {
        async getServerCertificate(name: string) {
          return {
            name,
            arn: `arn:aws:iam::123456789012:server-certificate/${name}`,
            certificateBody: pair.cert,
            tags: [...tags],
          }
        },
        async uploadServerCertificate() {
          throw entityAlreadyExists()
        },
      } as unknown as IamGateway
      const journal = new Rollback(rollback.mark)
      const applied = await applyAsRun({iam}, uploading('elbx-web-abc'), STEP.certificate, journal)
      expect(applied.outputs.get('upload-certificate')).toBe(
        'arn:aws:iam::123456789012:server-certificate/elbx-web-abc',
      )
      expect(journal.created.map((r) => r.id)).toEqual(created ? ['elbx-web-abc'] : [])
    }
  })
})
