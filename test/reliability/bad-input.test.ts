/**
 * Bad input never reaches AWS: one table of wrong invocations across every command, each run
 * through the built binary. Every case must end with exit 2, one error line naming the bad value,
 * the rule it breaks (in the message or its hint), no stack trace, and not a single AWS request.
 * The per-command e2e tests check their own messages; this table adds the cases they do not have
 * (every kind of wrong file, the name rule on every command, conflicting flags, limits) and holds
 * all of them to the same, stricter bar.
 */
import {parseJson, runCli, type CliResult} from '../helpers/cli.js'
import {makeBadFiles, type BadFiles} from './bad-files.js'

interface BadCase {
  what: string
  args: (f: BadFiles) => string[]
  /** The bad value as the user typed it (a path, a name, a number); must appear in the error line. */
  value: (f: BadFiles) => string
  /** The rule it breaks: must appear in the error line or the hint under it. */
  rule: RegExp
}

const I = 'i-0123456789abcdef0'
const ACM = 'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012'
const given = (v: string) => () => v
/** `n` distinct, well-formed instance IDs, comma-separated. */
const ids = (n: number) =>
  Array.from({length: n}, (_, i) => `i-${i.toString(16).padStart(17, '0')}`).join(',')
const uploadWith = (cert: string, key: string) => [
  '-n',
  'web',
  '--https',
  '--certificate-file',
  cert,
  '--private-key-file',
  key,
]

const createFile = (what: string, pick: (f: BadFiles) => string, rule: RegExp): BadCase => ({
  what: `create --certificate-file ${what}`,
  args: (f) => ['create', ...uploadWith(pick(f), f.good.keyFile)],
  value: pick,
  rule,
})
const keyFile = (what: string, pick: (f: BadFiles) => string, rule: RegExp): BadCase => ({
  what: `create --private-key-file ${what}`,
  args: (f) => ['create', ...uploadWith(f.good.certFile, pick(f))],
  value: pick,
  rule,
})
const chainFile = (what: string, pick: (f: BadFiles) => string, rule: RegExp): BadCase => ({
  what: `create --chain-file ${what}`,
  args: (f) => ['create', ...uploadWith(f.good.certFile, f.good.keyFile), '--chain-file', pick(f)],
  value: pick,
  rule,
})
const backendCert = (what: string, pick: (f: BadFiles) => string, rule: RegExp): BadCase => ({
  what: `policy backend-auth --backend-auth-cert ${what}`,
  args: (f) => [
    'policy',
    'backend-auth',
    '-n',
    'web',
    '--instance-port',
    '443',
    '--backend-auth-cert',
    pick(f),
  ],
  value: pick,
  rule,
})
const NAME_RULE = /letters, digits and hyphens, not beginning or ending with a hyphen/

const CASES: BadCase[] = [
  // The load balancer name rule, on every command that takes a name.
  {
    what: 'create with an empty name',
    args: () => ['create', '-n', '', '--https', '--certificate', ACM],
    value: given('name is empty'),
    rule: NAME_RULE,
  },
  {
    what: 'create with an underscore in the name',
    args: () => ['create', '-n', 'web_1', '--https', '--certificate', ACM],
    value: given('web_1'),
    rule: NAME_RULE,
  },
  {
    what: 'destroy with a trailing hyphen',
    args: () => ['destroy', '-n', 'web-', '--yes'],
    value: given('web-'),
    rule: NAME_RULE,
  },
  {
    what: 'health with a 33-character name',
    args: () => ['health', '-n', 'x'.repeat(33)],
    value: given('x'.repeat(33)),
    rule: /at most 32/,
  },
  {
    what: 'register with a dot in the name',
    args: () => ['register', '-n', 'my.lb', '--instances', I],
    value: given('my.lb'),
    rule: NAME_RULE,
  },
  {
    what: 'deregister with a space in the name',
    args: () => ['deregister', '-n', 'my lb', '--instances', I],
    value: given('my lb'),
    rule: NAME_RULE,
  },
  {
    what: 'verify with a non-ASCII name',
    args: () => ['verify', '-n', 'café'],
    value: given('café'),
    rule: NAME_RULE,
  },
  {
    what: 'policy backend-auth with a leading hyphen',
    args: (f) => [
      'policy',
      'backend-auth',
      '-n',
      '-x',
      '--instance-port',
      '443',
      '--backend-auth-cert',
      f.good.certFile,
    ],
    value: given('-x'),
    rule: NAME_RULE,
  },
  {
    what: 'policy ssl --show with an underscore',
    args: () => ['policy', 'ssl', '--show', '-n', 'x_y'],
    value: given('x_y'),
    rule: NAME_RULE,
  },

  // Ports.
  {
    what: 'backend-auth --instance-port 0',
    args: (f) => [
      'policy',
      'backend-auth',
      '-n',
      'web',
      '--instance-port',
      '0',
      '--backend-auth-cert',
      f.good.certFile,
    ],
    value: given('got 0'),
    rule: /1 to 65535/,
  },
  {
    what: 'backend-auth --instance-port 65536',
    args: (f) => [
      'policy',
      'backend-auth',
      '-n',
      'web',
      '--instance-port',
      '65536',
      '--backend-auth-cert',
      f.good.certFile,
    ],
    value: given('65536'),
    rule: /1 to 65535/,
  },
  {
    what: 'backend-auth --instance-port https',
    args: (f) => [
      'policy',
      'backend-auth',
      '-n',
      'web',
      '--instance-port',
      'https',
      '--backend-auth-cert',
      f.good.certFile,
    ],
    value: given('"https"'),
    rule: /whole number from 1 to 65535/,
  },
  {
    what: 'policy ssl --port -1',
    args: () => ['policy', 'ssl', '-n', 'web', '--ssl-policy', 'TLS-1-2-2017-01', '--port', '-1'],
    value: given('-1'),
    rule: /1 to 65535/,
  },
  {
    what: 'policy ssl --show --port 99999',
    args: () => ['policy', 'ssl', '--show', '-n', 'web', '--port', '99999'],
    value: given('99999'),
    rule: /1 to 65535/,
  },
  {
    what: 'a fractional listener port',
    args: () => ['create', '-n', 'web', '-l', 'http:80.5:http:80'],
    value: given('80.5'),
    rule: /whole number from 1 to 65535/,
  },
  {
    what: 'a listener with three fields',
    args: () => ['create', '-n', 'web', '-l', 'http:80:http'],
    value: given('http:80:http'),
    rule: /https:443:http:80/,
  },
  {
    what: 'a shorthand listener without InstancePort',
    args: () => ['create', '-n', 'web', '-l', 'Protocol=HTTP,LoadBalancerPort=80'],
    value: given('Protocol=HTTP,LoadBalancerPort=80'),
    rule: /lacks InstancePort/,
  },
  {
    what: 'a shorthand listener with an unknown field',
    args: () => ['create', '-n', 'web', '-l', 'Protocol=HTTP,LoadBalancerPort=80,InstancePort=80,Weight=1'],
    value: given('Weight'),
    rule: /the fields are Protocol, LoadBalancerPort, InstanceProtocol, InstancePort and SSLCertificateId/,
  },
  {
    what: 'a shorthand listener with a field twice',
    args: () => [
      'create',
      '-n',
      'web',
      '-l',
      'Protocol=HTTP,LoadBalancerPort=80,LoadBalancerPort=81,InstancePort=80',
    ],
    value: given('LoadBalancerPort'),
    rule: /given twice/,
  },
  {
    what: '--https plus another listener on 443',
    args: () => ['create', '-n', 'web', '--https', '--certificate', ACM, '-l', 'tcp:443:tcp:443'],
    value: given('443'),
    rule: /each listener needs its own port/,
  },
  {
    what: '101 listeners (the quota is 100)',
    args: () => [
      'create',
      '-n',
      'web',
      ...Array.from({length: 101}, (_, i) => ['-l', `tcp:${1000 + i}:tcp:80`]).flat(),
    ],
    value: given('101 listeners'),
    rule: /at most 100/,
  },

  // Protocol pairs and certificates on listeners.
  {
    what: 'HTTPS front end to a TCP back end',
    args: () => ['create', '-n', 'web', '--certificate', ACM, '-l', 'https:443:tcp:443'],
    value: given('HTTPS 443 -> TCP 443'),
    rule: /needs an HTTP or HTTPS instance protocol/,
  },
  {
    what: 'SSL front end to an HTTP back end',
    args: () => ['create', '-n', 'web', '--certificate', ACM, '-l', 'ssl:443:http:80'],
    value: given('SSL 443 -> HTTP 80'),
    rule: /needs a TCP or SSL instance protocol/,
  },
  {
    what: 'a certificate on an HTTP listener',
    args: () => [
      'create',
      '-n',
      'web',
      '-l',
      `Protocol=HTTP,LoadBalancerPort=80,InstancePort=80,SSLCertificateId=${ACM}`,
    ],
    value: given('HTTP 80 -> HTTP 80'),
    rule: /only HTTPS and SSL listeners take a certificate/,
  },
  {
    what: 'an SSL listener without a certificate',
    args: () => ['create', '-n', 'web', '-l', 'ssl:8443:ssl:8443'],
    value: given('SSL 8443 -> SSL 8443'),
    rule: /needs a certificate/,
  },
  {
    what: 'TCP and SSL to one instance port',
    args: () => ['create', '-n', 'web', '--certificate', ACM, '-l', 'tcp:25:tcp:25', '-l', 'ssl:465:ssl:25'],
    value: given('instance port 25'),
    rule: /both be secure \(HTTPS\/SSL\) or both plain/,
  },
  {
    what: 'a certificate ARN with a short account',
    args: () => [
      'create',
      '-n',
      'web',
      '--https',
      '--certificate',
      'arn:aws:acm:us-east-1:123:certificate/x',
    ],
    value: given('arn:aws:acm:us-east-1:123:certificate/x'),
    rule: /arn:aws:acm:REGION:ACCOUNT:certificate\/ID/,
  },

  // Health check targets and numbers.
  {
    what: 'a health check target without a protocol',
    args: () => ['health', '-n', 'web', '--health-check', ':80/'],
    value: given(':80/'),
    rule: /TCP:port, SSL:port, HTTP:port\/path or HTTPS:port\/path/,
  },
  {
    what: 'a health check port glued to the path',
    args: () => ['health', '-n', 'web', '--health-check', 'HTTP:80ping'],
    value: given('HTTP:80ping'),
    rule: /whole number from 1 to 65535/,
  },
  {
    what: 'a health check path with a tab',
    args: () => ['health', '-n', 'web', '--health-check', 'HTTP:80/pi\tng'],
    value: given('HTTP:80/pi\tng'),
    rule: /control characters are not allowed/,
  },
  {
    what: 'create --health-timeout 30 with the default interval (30)',
    args: () => ['create', '-n', 'web', '--https', '--certificate', ACM, '--health-timeout', '30'],
    value: given('--health-timeout 30 is not less than the default interval (30 s)'),
    rule: /less than the interval/,
  },
  {
    what: 'create --health-interval 5 with the default timeout (5)',
    args: () => [
      'create',
      '-n',
      'web',
      '--https',
      '--certificate',
      ACM,
      '--health-check',
      'TCP:80',
      '--health-interval',
      '5',
    ],
    value: given('the default timeout (5 s) is not less than --health-interval 5'),
    rule: /Give --health-timeout \(less than 5\) too/,
  },
  {
    what: 'a timeout equal to the maximum interval',
    args: () => ['health', '-n', 'web', '--health-interval', '30', '--health-timeout', '60'],
    value: given('--health-timeout 60'),
    rule: /less than the interval/,
  },
  {
    what: 'a fractional healthy threshold',
    args: () => ['health', '-n', 'web', '--healthy-threshold', '2.5'],
    value: given('2.5'),
    rule: /2 to 10/,
  },
  {
    what: 'a hexadecimal unhealthy threshold',
    args: () => ['health', '-n', 'web', '--unhealthy-threshold', '0x5'],
    value: given('0x5'),
    rule: /2 to 10/,
  },
  {
    what: 'an interval of 0',
    args: () => ['health', '-n', 'web', '--health-interval', '0'],
    value: given('got 0'),
    rule: /5 to 300/,
  },

  // Tags.
  {
    what: 'a tag with an empty key',
    args: () => ['create', '-n', 'web', '--https', '--certificate', ACM, '--tag', '=v'],
    value: given('"=v"'),
    rule: /a key of 1-127 characters/,
  },
  {
    what: 'a tag value of 256 characters',
    args: () => ['create', '-n', 'web', '--https', '--certificate', ACM, '--tag', `k=${'v'.repeat(256)}`],
    value: given('256 characters'),
    rule: /a value of up to 255/,
  },
  {
    what: 'a tag value with "<"',
    args: () => ['create', '-n', 'web', '--https', '--certificate', ACM, '--tag', 'team=a<b'],
    value: given('a<b'),
    rule: /letters, digits, spaces and _ \. : \/ = \+ - @ only/,
  },
  {
    what: 'a tag key with "#"',
    args: () => ['create', '-n', 'web', '--https', '--certificate', ACM, '--tag', 'ke#y=1'],
    value: given('ke#y'),
    rule: /letters, digits, spaces/,
  },
  {
    what: 'an upper-case AWS: tag key',
    args: () => ['create', '-n', 'web', '--https', '--certificate', ACM, '--tag', 'AWS:owner=me'],
    value: given('AWS:owner'),
    rule: /neither may start with "aws:"/,
  },
  {
    what: 'a tag value starting with aws:',
    args: () => ['create', '-n', 'web', '--https', '--certificate', ACM, '--tag', 'owner=aws:me'],
    value: given('value "aws:me" starts with "aws:"'),
    rule: /neither may start with "aws:"/,
  },
  {
    what: 'a tag key with a leading space',
    args: () => ['create', '-n', 'web', '--https', '--certificate', ACM, '--tag', ' lead=x'],
    value: given('key " lead" starts with a space'),
    rule: /nor start or end with a space/,
  },
  {
    what: 'a tag value with a trailing space',
    args: () => ['create', '-n', 'web', '--https', '--certificate', ACM, '--tag', 'trail=x '],
    value: given('value "x " ends with a space'),
    rule: /nor start or end with a space/,
  },
  {
    what: '51 tags',
    args: () => [
      'create',
      '-n',
      'web',
      '--https',
      '--certificate',
      ACM,
      ...Array.from({length: 51}, (_, i) => ['--tag', `k${i}=v`]).flat(),
    ],
    value: given('51 tags'),
    rule: /at most 50/,
  },

  // Other numbers and network values.
  {
    what: '--connection-draining 3601',
    args: () => ['create', '-n', 'web', '--https', '--certificate', ACM, '--connection-draining', '3601'],
    value: given('3601'),
    rule: /1 to 3600 seconds/,
  },
  {
    what: '--idle-timeout 0',
    args: () => ['create', '-n', 'web', '--https', '--certificate', ACM, '--idle-timeout', '0'],
    value: given('got 0'),
    rule: /1 to 3600 seconds/,
  },
  {
    what: 'an ingress CIDR with octet 300',
    args: () => ['create', '-n', 'web', '--https', '--certificate', ACM, '--ingress-cidr', '300.0.0.0/8'],
    value: given('300.0.0.0/8'),
    rule: /address and prefix length/,
  },
  {
    what: 'six security groups',
    args: () => [
      'create',
      '-n',
      'web',
      '--https',
      '--certificate',
      ACM,
      '--security-groups',
      'sg-00000001,sg-00000002,sg-00000003,sg-00000004,sg-00000005,sg-00000006',
    ],
    value: given('6 groups'),
    rule: /at most 5/,
  },
  {
    what: 'verify --probe-timeout 301',
    args: () => ['verify', '-n', 'web', '--probe-timeout', '301'],
    value: given('301'),
    rule: /1 to 300/,
  },
  {
    what: 'register --wait-timeout 86401',
    args: () => ['register', '-n', 'web', '--instances', I, '--wait-timeout', '86401'],
    value: given('86401'),
    rule: /1 to 86400/,
  },

  // Instance IDs.
  {
    what: 'an instance ID with 16 digits',
    args: () => ['register', '-n', 'web', '--instances', 'i-0123456789abcdef'],
    value: given('i-0123456789abcdef'),
    rule: /8 or 17/,
  },
  {
    what: 'an instance ID with an upper-case prefix',
    args: () => ['register', '-n', 'web', '--instances', 'I-0123456789abcdef0'],
    value: given('I-0123456789abcdef0'),
    rule: /"i-" followed by 8 or 17 lower-case hexadecimal digits/,
  },
  {
    what: 'instance IDs separated by a semicolon',
    args: () => ['register', '-n', 'web', '--instances', `${I};i-01234567`],
    value: given(`${I};i-01234567`),
    rule: /Separate IDs with commas/,
  },
  {
    what: 'an AMI ID as an instance',
    args: () => ['deregister', '-n', 'web', '--instances', 'ami-12c6146b'],
    value: given('ami-12c6146b'),
    rule: /"i-" followed by 8 or 17/,
  },
  {
    what: 'an 8-digit instance ID twice',
    args: () => ['deregister', '-n', 'web', '--instances', 'i-01234567,i-01234567'],
    value: given('i-01234567'),
    rule: /Give each instance once/,
  },
  {
    what: 'create with 1,001 instances (the quota is 1,000 per load balancer)',
    args: () => ['create', '-n', 'web', '--https', '--certificate', ACM, '--instances', ids(1001)],
    value: given('--instances lists 1001 instances'),
    rule: /at most 1,000 registered.*quota of registered instances per Classic Load Balancer/s,
  },
  {
    what: 'register with 1,001 instances',
    args: () => ['register', '-n', 'web', '--instances', ids(1001)],
    value: given('--instances lists 1001 instances'),
    rule: /quota of registered instances per Classic Load Balancer/,
  },
  {
    what: 'a blank --instances',
    args: () => ['register', '-n', 'web', '--instances', '  '],
    value: given('--instances is empty'),
    rule: /"i-" followed by 8 or 17/,
  },

  // Certificate files for create: every wrong kind.
  createFile('that is a private key', (f) => f.good.keyFile, /holds a private key, not a certificate/),
  createFile('that is a CSR', (f) => f.csr, /holds a certificate signing request \(CSR\), not a certificate/),
  createFile(
    'cut off before its END line',
    (f) => f.truncatedNoEnd,
    /its CERTIFICATE block has no END line \(the file is truncated\)/,
  ),
  createFile('with half its body', (f) => f.truncatedBody, /not a valid X\.509 certificate/),
  createFile('of binary garbage', (f) => f.garbage, /not a PEM certificate/),
  createFile('that is empty', (f) => f.empty, /is empty/),
  createFile('of blank lines', (f) => f.blank, /is empty/),
  createFile('in DER', (f) => f.derCertificate, /openssl x509 -inform der/),
  createFile('that is a public key', (f) => f.publicKey, /holds a public key, not a certificate/),
  createFile('holding two certificates', (f) => f.bundle, /--chain-file/),
  createFile('that expired', (f) => f.expired.certFile, /expired on .*Renew the certificate/s),
  createFile('that does not exist', (f) => f.missing, /no such file/),
  createFile('that is a directory', (f) => f.directory, /is a directory, not a file/),
  createFile('that is a socket', (f) => f.socket, /cannot be read/),
  {
    what: 'create --certificate-file with mode 000',
    args: (f) => ['create', ...uploadWith(f.unreadable, f.good.keyFile)],
    value: (f) => f.unreadable,
    // Root reads it anyway (and finds a CSR); anyone else is refused by the system.
    rule: process.getuid?.() === 0 ? /certificate signing request/ : /permission denied.*readable/s,
  },
  keyFile('that is the certificate', (f) => f.good.certFile, /holds a certificate, not a private key/),
  keyFile('that is a CSR', (f) => f.csr, /holds a certificate signing request \(CSR\), not a private key/),
  keyFile(
    'with half its body',
    (f) => f.truncatedKey,
    /cannot be parsed as a private key \(truncated or damaged\?\)/,
  ),
  keyFile(
    'cut off before its END line',
    (f) => f.truncatedKeyNoEnd,
    /its PRIVATE KEY block has no END line \(the file is truncated\)/,
  ),
  keyFile('of binary garbage', (f) => f.garbage, /not a PEM private key/),
  keyFile('that is empty', (f) => f.empty, /is empty/),
  keyFile('encrypted with a passphrase', (f) => f.encryptedKey, /IAM needs the key unencrypted/),
  keyFile(
    'of another key type (EC for an RSA certificate)',
    (f) => f.ecKey,
    /does not belong to the certificate/,
  ),
  keyFile('that is a directory', (f) => f.directory, /is a directory, not a file/),
  keyFile('that does not exist', (f) => f.missing, /no such file/),
  chainFile('that is a private key', (f) => f.good.keyFile, /holds a private key, not a certificate/),
  chainFile('that is empty', (f) => f.empty, /is empty/),
  chainFile('that is an expired certificate', (f) => f.expired.certFile, /expired on/),

  // Certificate files for back-end authentication.
  backendCert('that is a PKCS#8 private key', (f) => f.good.keyFile, /never reads private keys/),
  backendCert('that is a PKCS#1 private key', (f) => f.rsaKey, /never reads private keys/),
  backendCert('that is a DER private key', (f) => f.derKey, /never reads private keys/),
  backendCert('that is a CSR', (f) => f.csr, /A certificate signing request is not a certificate/),
  backendCert(
    'cut off before its END line',
    (f) => f.truncatedNoEnd,
    /no matching END line \(the file is truncated\)/,
  ),
  backendCert('with half its body', (f) => f.truncatedBody, /cannot be parsed \(truncated or corrupt\)/),
  backendCert('of binary garbage', (f) => f.garbage, /neither a PEM nor a DER certificate or public key/),
  backendCert('that is empty', (f) => f.empty, /is empty/),
  backendCert('that is an OpenSSH public key', (f) => f.sshPublicKey, /ssh-keygen -e -m PKCS8/),
  backendCert('that is a directory', (f) => f.directory, /is a directory, not a file/),
  backendCert('that is a socket', (f) => f.socket, /cannot be read/),
  {
    what: 'policy backend-auth with a good --backend-auth-cert and then a missing one',
    args: (f) => [
      'policy',
      'backend-auth',
      '-n',
      'web',
      '--instance-port',
      '443',
      '--backend-auth-cert',
      f.good.certFile,
      '--backend-auth-cert',
      f.missing,
    ],
    value: (f) => f.missing,
    rule: /no such file/,
  },

  // SSL policies: unknown predefined names, reserved and malformed policy names, bad lists.
  {
    what: 'an ALB-only predefined policy',
    args: () => ['policy', 'ssl', '-n', 'web', '--ssl-policy', 'ELBSecurityPolicy-TLS13-1-2-2021-06'],
    value: given('ELBSecurityPolicy-TLS13-1-2-2021-06'),
    rule: /Predefined policies: .*ELBSecurityPolicy-2016-08/,
  },
  {
    what: 'a lower-case reserved policy name',
    args: () => [
      'policy',
      'ssl',
      '-n',
      'web',
      '--ssl-policy',
      'TLS-1-2-2017-01',
      '--ssl-policy-name',
      'elbsecuritypolicy-mine',
    ],
    value: given('elbsecuritypolicy-mine'),
    rule: /must not begin with ELBSecurityPolicy- or ELBSample-/,
  },
  {
    what: 'a reserved name for a custom policy',
    args: () => [
      'policy',
      'ssl',
      '-n',
      'web',
      '--ssl-protocols',
      'TLSv1.2',
      '--ssl-ciphers',
      'ECDHE-RSA-AES128-GCM-SHA256',
      '--ssl-policy-name',
      'ELBSample-mine',
    ],
    value: given('ELBSample-mine'),
    rule: /must not begin with ELBSecurityPolicy- or ELBSample-/,
  },
  {
    what: 'a policy name of 256 characters',
    args: () => [
      'policy',
      'ssl',
      '-n',
      'web',
      '--ssl-policy',
      'TLS-1-2-2017-01',
      '--ssl-policy-name',
      'p'.repeat(256),
    ],
    value: given('256 characters'),
    rule: /at most 255/,
  },
  {
    what: 'an unknown protocol',
    args: () => ['policy', 'ssl', '-n', 'web', '--ssl-protocols', 'TLSv9', '--ssl-ciphers', 'AES128-SHA'],
    value: given('TLSv9'),
    rule: /Protocols are TLSv1.2, TLSv1.1, TLSv1, SSLv3/,
  },
  {
    what: 'a protocol given as a cipher',
    args: () => [
      'policy',
      'ssl',
      '-n',
      'web',
      '--ssl-protocols',
      'TLSv1.2',
      '--ssl-ciphers',
      'Protocol-TLSv1.2',
    ],
    value: given('Protocol-TLSv1.2'),
    rule: /protocols go in --ssl-protocols/,
  },

  // Conflicting and missing flags (oclif's own checks keep the same exit code and a hint).
  {
    what: 'create --certificate with --certificate-file',
    args: (f) => [
      'create',
      '-n',
      'web',
      '--https',
      '--certificate',
      ACM,
      '--certificate-file',
      f.good.certFile,
      '--private-key-file',
      f.good.keyFile,
    ],
    value: given('--certificate'),
    rule: /cannot also be provided when using/,
  },
  // Empty values for file flags: a usage error, never "no file".
  {
    what: "create --chain-file ''",
    args: (f) => ['create', ...uploadWith(f.good.certFile, f.good.keyFile), '--chain-file', ''],
    value: given('--chain-file is empty'),
    rule: /needs the path of a file/,
  },
  {
    what: "create --certificate-file ''",
    args: (f) => ['create', ...uploadWith('', f.good.keyFile)],
    value: given('--certificate-file is empty'),
    rule: /needs the path of a file/,
  },
  {
    what: "create --backend-auth-cert ''",
    args: () => [
      'create',
      '-n',
      'web',
      '--https',
      '--backend-https',
      '--certificate',
      ACM,
      '--backend-auth-cert',
      '',
    ],
    value: given('--backend-auth-cert is empty'),
    rule: /needs the path of a file/,
  },
  {
    what: "policy backend-auth --backend-auth-cert ''",
    args: () => ['policy', 'backend-auth', '-n', 'web', '--instance-port', '443', '--backend-auth-cert', ''],
    value: given('--backend-auth-cert is empty'),
    rule: /needs the path of a file/,
  },

  // What can only be checked against the Region, still before any request.
  {
    what: 'an ACM certificate of another Region',
    args: () => ['create', '-n', 'web', '--https', '--certificate', ACM.replace('us-east-1', 'eu-west-1')],
    value: given('is an ACM certificate in eu-west-1, but the load balancer is in us-east-1'),
    rule: /only use ACM certificates of its own Region/,
  },
  {
    what: 'an Availability Zone of another Region',
    args: () => [
      'create',
      '-n',
      'web',
      '--https',
      '--certificate',
      ACM,
      '--availability-zones',
      'us-west-2a',
    ],
    value: given('"us-west-2a" is not a zone of us-east-1'),
    rule: /Give zones of us-east-1/,
  },

  // Cipher names elbx does not know: refused from its table, AWS is not asked.
  {
    what: 'policy ssl --ssl-ciphers NOT-A-CIPHER',
    args: () => ['policy', 'ssl', '-n', 'web', '--ssl-protocols', 'TLSv1.2', '--ssl-ciphers', 'NOT-A-CIPHER'],
    value: given('"NOT-A-CIPHER" is not a cipher of Classic Load Balancers'),
    rule: /elbx policy ssl --list/,
  },
  {
    what: 'create --ssl-ciphers with a misspelt cipher',
    args: () => [
      'create',
      '-n',
      'web',
      '--https',
      '--certificate',
      ACM,
      '--ssl-protocols',
      'TLSv1.2',
      '--ssl-ciphers',
      'ECDHE-RSA-AES128-GCM-SHA265',
    ],
    value: given('"ECDHE-RSA-AES128-GCM-SHA265" is not a cipher'),
    rule: /did you mean ECDHE-RSA-AES128-GCM-SHA256/,
  },

  // Where and as whom to connect: input errors, not failed requests.
  {
    what: "--endpoint-url 'not a url'",
    args: () => ['health', '-n', 'web', '--endpoint-url', 'not a url'],
    value: given('--endpoint-url "not a url" is not an endpoint URL'),
    rule: /http:\/\/127\.0\.0\.1:5000/,
  },
  {
    what: '--endpoint-url without a scheme',
    args: () => ['verify', '-n', 'web', '--endpoint-url', '127.0.0.1:1'],
    value: given('"127.0.0.1:1" is not an endpoint URL'),
    rule: /Did you mean http:\/\/127\.0\.0\.1:1\?/,
  },
  {
    what: '--endpoint-url ftp://',
    args: () => ['destroy', '-n', 'web', '--yes', '--endpoint-url', 'ftp://127.0.0.1:1'],
    value: given('its scheme is ftp, not http or https'),
    rule: /An endpoint URL is http:\/\/ or https:\/\//,
  },
  {
    what: '--region that is not a Region name',
    args: () => ['register', '-n', 'web', '--instances', I, '--region', 'us-east'],
    value: given('Region "us-east" is not an AWS Region name'),
    rule: /Regions look like us-east-1/,
  },
  {
    what: '--profile no-such-profile',
    args: () => ['deregister', '-n', 'web', '--instances', I, '--profile', 'no-such-profile'],
    // The tests point AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE at /dev/null.
    value: given('Profile "no-such-profile" (--profile) is in neither /dev/null nor /dev/null.'),
    rule: /aws configure --profile no-such-profile.*AWS_CONFIG_FILE \/ AWS_SHARED_CREDENTIALS_FILE/,
  },
  {
    what: 'create --chain-file without --certificate-file',
    args: (f) => ['create', '-n', 'web', '--https', '--certificate', ACM, '--chain-file', f.good.certFile],
    value: given('--chain-file'),
    rule: /must be provided when using --chain-file: --certificate-file/,
  },
  {
    what: 'create --certificate-name without --certificate-file',
    args: () => ['create', '-n', 'web', '--https', '--certificate', ACM, '--certificate-name', 'mine'],
    value: given('--certificate-name'),
    rule: /--certificate-file/,
  },
  {
    what: 'create --private-key-file alone',
    args: (f) => ['create', '-n', 'web', '--https', '--private-key-file', f.good.keyFile],
    value: given('--private-key-file'),
    rule: /needs --certificate-file/,
  },
  {
    what: 'policy ssl --list with --show',
    args: () => ['policy', 'ssl', '--list', '--show'],
    value: given('--list'),
    rule: /cannot also be provided when using --show/,
  },
  {
    what: 'policy ssl --ssl-policy with --ssl-server-order',
    args: () => ['policy', 'ssl', '-n', 'web', '--ssl-policy', 'TLS-1-2-2017-01', '--ssl-server-order'],
    value: given('--ssl-server-order'),
    rule: /cannot also be provided when using --ssl-policy/,
  },
  {
    what: 'backend-auth without --backend-auth-cert',
    args: () => ['policy', 'backend-auth', '-n', 'web', '--instance-port', '443'],
    value: given('Missing --backend-auth-cert'),
    rule: /Example: elbx policy backend-auth --name my-lb --instance-port 443 --backend-auth-cert backend.pem/,
  },
  {
    what: 'destroy with an unknown flag',
    args: () => ['destroy', '-n', 'web', '--yes', '--force'],
    value: given('--force'),
    rule: /Nonexistent flag.*elbx destroy --help/s,
  },
]

/** Runs `items` through `work` with at most `limit` at once, keeping the order of results. */
async function inPool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      results[i] = await work(items[i]!)
    }
  }
  await Promise.all(Array.from({length: limit}, worker))
  return results
}

describe('bad input: exit 2, the value and the rule, no stack trace, no AWS request', () => {
  let files: BadFiles
  const results = new Map<string, CliResult>()

  beforeAll(async () => {
    files = await makeBadFiles()
    // Each run is a separate node process; three at a time keeps two cores busy without
    // starving the other jest worker.
    const runs = await inPool(CASES, 3, (c) => runCli(c.args(files)))
    CASES.forEach((c, i) => results.set(c.what, runs[i]!))
  }, 180_000)

  afterAll(async () => {
    await files?.close()
  })

  it('covers at least 60 distinct invocations across every command', () => {
    const invocations = new Set(CASES.map((c) => JSON.stringify(c.args(files))))
    expect(invocations.size).toBe(CASES.length)
    expect(CASES.length).toBeGreaterThanOrEqual(60)
    const commands = new Set(
      CASES.map((c) =>
        c
          .args(files)
          .slice(0, c.args(files)[0] === 'policy' ? 2 : 1)
          .join(' '),
      ),
    )
    expect([...commands].sort()).toEqual(
      [
        'create',
        'deregister',
        'destroy',
        'health',
        'policy backend-auth',
        'policy ssl',
        'register',
        'verify',
      ].sort(),
    )
  })

  it.each(CASES.map((c) => [c.what, c] as const))('%s', (_what, c) => {
    const result = results.get(c.what)!
    const report = `stderr:\n${result.stderr}\nstdout:\n${result.stdout}`
    expect({exitCode: result.exitCode, report}).toMatchObject({exitCode: 2})
    const [errorLine, ...rest] = result.stderr.trimEnd().split('\n')
    expect(errorLine).toMatch(/^Error: /)
    const message = [errorLine, ...rest.filter((l) => !l.startsWith('Hint:'))].join('\n')
    expect(message).toContain(c.value(files))
    expect(result.stderr).toMatch(c.rule)
    expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
    expect(result.stdout).toBe('')
    expect(result.requests).toHaveLength(0)
  })

  it('gives the same refusals as one JSON document on stdout under --json', async () => {
    const sample = CASES.filter((_, i) => i % 9 === 0)
    const runs = await inPool(sample, 3, (c) => runCli([...c.args(files), '--json']))
    sample.forEach((c, i) => {
      const result = runs[i]!
      expect(result.exitCode).toBe(2)
      const {error} = parseJson<{error: {message: string; exitCode: number; hint?: string}}>(result)
      expect(error.exitCode).toBe(2)
      expect(error.message).toContain(c.value(files))
      expect(`${error.message}\n${error.hint ?? ''}`).toMatch(c.rule)
      expect(result.requests).toHaveLength(0)
    })
  }, 60_000)
})
