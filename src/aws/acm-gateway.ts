import {
  type ACMClient,
  DescribeCertificateCommand,
  GetCertificateCommand,
  ListCertificatesCommand,
} from './sdk/acm.js'

import type {AcmCertificate} from '../model.js'
import {isAwsError} from './errors.js'
import type {AcmGateway} from './gateways.js'

/** AcmGateway: the region's ACM certificates, to pick one for an HTTPS listener. */
export class SdkAcmGateway implements AcmGateway {
  constructor(private readonly client: ACMClient) {}

  async listCertificates(): Promise<AcmCertificate[]> {
    const all: AcmCertificate[] = []
    let token: string | undefined
    do {
      const out = await this.client.send(new ListCertificatesCommand({NextToken: token}))
      for (const c of out.CertificateSummaryList ?? []) {
        all.push({
          arn: c.CertificateArn ?? '',
          ...(c.DomainName ? {domainName: c.DomainName} : {}),
          ...(c.Status ? {status: c.Status} : {}),
          ...(c.Type ? {type: c.Type} : {}),
          ...(c.NotAfter ? {notAfter: c.NotAfter.toISOString()} : {}),
          inUseBy: [],
        })
      }
      token = out.NextToken
    } while (token)
    return all
  }

  async describeCertificate(arn: string): Promise<AcmCertificate | undefined> {
    try {
      const out = await this.client.send(new DescribeCertificateCommand({CertificateArn: arn}))
      const c = out.Certificate
      if (!c) return undefined
      return {
        arn: c.CertificateArn ?? arn,
        ...(c.DomainName ? {domainName: c.DomainName} : {}),
        ...(c.Status ? {status: c.Status} : {}),
        ...(c.Type ? {type: c.Type} : {}),
        ...(c.NotAfter ? {notAfter: c.NotAfter.toISOString()} : {}),
        inUseBy: c.InUseBy ?? [],
      }
    } catch (error) {
      if (isAwsError(error, 'ResourceNotFound')) return undefined
      throw error
    }
  }

  async getCertificateBody(arn: string): Promise<string | undefined> {
    try {
      const out = await this.client.send(new GetCertificateCommand({CertificateArn: arn}))
      return out.Certificate
    } catch (error) {
      if (isAwsError(error, 'ResourceNotFound')) return undefined
      throw error
    }
  }
}
