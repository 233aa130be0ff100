import {InvalidInputError} from '../../../src/errors.js'
import type {Listener} from '../../../src/model.js'
import {checkListeners, formatListener, parseListener, seedListeners} from '../../../src/validate/listener.js'

const ARN = 'arn:aws:iam::123456789012:server-certificate/site'
const l = (protocol: string, port: number, ip: string, iport: number, cert?: string): Listener =>
  ({
    protocol,
    loadBalancerPort: port,
    instanceProtocol: ip,
    instancePort: iport,
    ...(cert ? {sslCertificateId: cert} : {}),
  }) as Listener

describe('parseListener', () => {
  it('reads the AWS CLI shorthand, protocols in any case, the ARN kept whole', () => {
    expect(
      parseListener(
        `Protocol=https,LoadBalancerPort=443,InstanceProtocol=http,InstancePort=80,SSLCertificateId=${ARN}`,
      ),
    ).toEqual(l('HTTPS', 443, 'HTTP', 80, ARN))
    expect(parseListener('protocol=Tcp,loadbalancerport=5000,instanceport=5000')).toEqual(
      l('TCP', 5000, 'TCP', 5000),
    )
  })

  it('defaults InstanceProtocol to HTTP for an HTTP/HTTPS front and TCP for TCP/SSL', () => {
    expect(parseListener('Protocol=HTTPS,LoadBalancerPort=443,InstancePort=80').instanceProtocol).toBe('HTTP')
    expect(parseListener('Protocol=SSL,LoadBalancerPort=443,InstancePort=80').instanceProtocol).toBe('TCP')
  })

  it('reads the short form', () => {
    expect(parseListener('https:443:HTTP:80')).toEqual(l('HTTPS', 443, 'HTTP', 80))
    expect(parseListener(' ssl:8443:ssl:443 ')).toEqual(l('SSL', 8443, 'SSL', 443))
  })

  it.each([
    ['', /--listener is empty/],
    ['https:443:http', /"https:443:http" is not a listener/],
    ['ftp:21:tcp:21', /protocol "ftp" is not a protocol; use HTTP, HTTPS, TCP or SSL/],
    ['http:0:http:80', /load balancer port must be from 1 to 65535, got 0/],
    ['http:80:http:65536', /instance port must be from 1 to 65535, got 65536/],
    ['http:eighty:http:80', /load balancer port must be a whole number/],
    ['Protocol=http,LoadBalancerPort=80', /lacks InstancePort/],
    ['Protocol=http,LoadBalancerPort=80,InstancePort=80,Color=red', /unknown field "Color"/],
    ['Protocol=http,Protocol=https,LoadBalancerPort=80,InstancePort=80', /Protocol is given twice/],
    ['Protocol=http,LoadBalancerPort,InstancePort=80', /"LoadBalancerPort" is not Key=Value/],
    ['Protocol=quic,LoadBalancerPort=80,InstancePort=80', /Protocol "quic" is not a protocol/],
  ])('refuses %j', (value, message) => {
    expect(() => parseListener(value)).toThrow(InvalidInputError)
    expect(() => parseListener(value)).toThrow(message)
  })
})

describe('seedListeners', () => {
  it("is the seed's pair, and HTTPS 443 -> HTTPS 443 with back-end HTTPS", () => {
    expect(seedListeners({backendHttps: false}).map(formatListener)).toEqual([
      'HTTP 80 -> HTTP 80',
      'HTTPS 443 -> HTTP 80',
    ])
    expect(seedListeners({backendHttps: true}).map(formatListener)).toEqual([
      'HTTP 80 -> HTTP 80',
      'HTTPS 443 -> HTTPS 443',
    ])
  })
})

describe('checkListeners', () => {
  const ok = {certificateGiven: true}

  it('accepts the seed pair with a certificate, and each valid protocol pair', () => {
    expect(checkListeners(seedListeners({backendHttps: false}), ok)).toHaveLength(2)
    for (const [front, back] of [
      ['HTTP', 'HTTPS'],
      ['HTTPS', 'HTTPS'],
      ['TCP', 'SSL'],
      ['SSL', 'TCP'],
    ]) {
      expect(() => checkListeners([l(front!, 443, back!, 443)], ok)).not.toThrow()
    }
  })

  it('refuses no listeners at all', () => {
    expect(() => checkListeners([], ok)).toThrow(/No listeners: pass --https/)
  })

  it.each([
    ['HTTP', 'TCP', /a HTTP front end needs an HTTP or HTTPS instance protocol, not TCP/],
    ['HTTPS', 'SSL', /a HTTPS front end needs an HTTP or HTTPS instance protocol, not SSL/],
    ['TCP', 'HTTP', /a TCP front end needs a TCP or SSL instance protocol, not HTTP/],
    ['SSL', 'HTTPS', /a SSL front end needs a TCP or SSL instance protocol, not HTTPS/],
  ])('refuses the protocol pair %s -> %s', (front, back, message) => {
    expect(() => checkListeners([l(front, 443, back, 443)], ok)).toThrow(message)
  })

  it('refuses a load balancer port used twice', () => {
    expect(() => checkListeners([l('HTTP', 80, 'HTTP', 80), l('TCP', 80, 'TCP', 8080)], ok)).toThrow(
      'Load balancer port 80 is used twice (HTTP 80 -> HTTP 80 and TCP 80 -> TCP 8080)',
    )
  })

  it('refuses listeners sharing an instance port with secure and plain instance protocols', () => {
    expect(() => checkListeners([l('HTTP', 80, 'HTTP', 443), l('HTTPS', 443, 'HTTPS', 443)], ok)).toThrow(
      /share instance port 443 but one sends HTTP and the other HTTPS/,
    )
    // Both plain (HTTP and TCP are both unencrypted) is fine.
    expect(() => checkListeners([l('HTTP', 80, 'HTTP', 80), l('HTTPS', 443, 'HTTP', 80)], ok)).not.toThrow()
  })

  it('refuses an HTTPS or SSL listener without a certificate', () => {
    expect(() => checkListeners(seedListeners({backendHttps: false}), {certificateGiven: false})).toThrow(
      'Listener HTTPS 443 -> HTTP 80 needs a certificate.',
    )
    expect(() => checkListeners([l('SSL', 443, 'TCP', 80)], {certificateGiven: false})).toThrow(
      /needs a certificate/,
    )
    expect(() => checkListeners([l('SSL', 443, 'TCP', 80, ARN)], {certificateGiven: false})).not.toThrow()
  })

  it('refuses a certificate on a plain listener', () => {
    expect(() => checkListeners([l('HTTP', 80, 'HTTP', 80, ARN)], ok)).toThrow(
      /only HTTPS and SSL listeners take a certificate/,
    )
  })

  it('refuses more than 100 listeners', () => {
    const many = Array.from({length: 101}, (_, i) => l('TCP', 1000 + i, 'TCP', 80))
    expect(() => checkListeners(many, ok)).toThrow('101 listeners given; a load balancer takes at most 100.')
  })
})
