import {resolve} from 'node:path'

import {
  DRY_RUN_SECURITY_GROUP_ID,
  dryRunCertificateArn,
  type PlannedRequest,
} from '../../../src/aws/dry-run.js'
import {dryRunCommands} from '../../../src/ui/plan.js'

const KEY = '-----BEGIN PRIVATE KEY-----\nc2VjcmV0\n-----END PRIVATE KEY-----'

const plan: PlannedRequest[] = [
  {
    service: 'iam',
    operation: 'UploadServerCertificate',
    parameters: {ServerCertificateName: 'elbx-web-1', CertificateBody: 'CERT', PrivateKey: KEY},
  },
  {
    service: 'ec2',
    operation: 'CreateSecurityGroup',
    parameters: {GroupName: 'elbx-web', VpcId: 'vpc-1', Description: 'web'},
  },
  {
    service: 'elb',
    operation: 'CreateLoadBalancer',
    parameters: {
      LoadBalancerName: 'web',
      SecurityGroups: [DRY_RUN_SECURITY_GROUP_ID],
      Listeners: [
        {
          Protocol: 'HTTPS',
          LoadBalancerPort: 443,
          InstanceProtocol: 'HTTP',
          InstancePort: 80,
          SSLCertificateId: dryRunCertificateArn('elbx-web-1'),
        },
      ],
    },
  },
]

describe('dryRunCommands', () => {
  const {requests, commands} = dryRunCommands(plan, {
    region: 'us-west-2',
    endpointUrl: 'http://127.0.0.1:5000',
    files: {'certificate-file': 'cert.pem', 'private-key-file': 'key.pem', 'chain-file': 'chain.pem'},
  })

  it('names the certificate files instead of their contents, so no key is printed', () => {
    expect(commands[0]).toContain(`file://${resolve('key.pem')}`)
    expect(commands[0]).toContain(`file://${resolve('chain.pem')}`)
    expect(commands.join('\n')).not.toContain('c2VjcmV0')
    expect(requests[0]!.parameters.PrivateKey).toBe(`file://${resolve('key.pem')}`)
  })

  it('looks up the certificate ARN and the security group ID that earlier lines create', () => {
    expect(commands[2]).toContain(
      '"$(aws iam get-server-certificate --server-certificate-name elbx-web-1 --query ServerCertificate.ServerCertificateMetadata.Arn --output text --region us-west-2 --endpoint-url http://127.0.0.1:5000)"',
    )
    expect(commands[2]).toContain(
      '"$(aws ec2 describe-security-groups --filters Name=group-name,Values=elbx-web Name=vpc-id,Values=vpc-1 --query \'SecurityGroups[0].GroupId\' --output text --region us-west-2 --endpoint-url http://127.0.0.1:5000)"',
    )
    expect(commands[2]).not.toContain(DRY_RUN_SECURITY_GROUP_ID)
    expect(commands[2]).not.toContain(dryRunCertificateArn('elbx-web-1'))
  })

  it('targets every command at the Region and endpoint', () => {
    for (const c of commands)
      expect(c).toMatch(/ --region us-west-2 --endpoint-url http:\/\/127\.0\.0\.1:5000$/)
  })
})
