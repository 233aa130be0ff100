import {
  DeleteServerCertificateCommand,
  GetServerCertificateCommand,
  type IAMClient,
  ListServerCertificatesCommand,
  type ServerCertificateMetadata,
  UploadServerCertificateCommand,
} from './sdk/iam.js'

import type {ServerCertificate, Tag} from '../model.js'
import {isAwsError} from './errors.js'
import type {IamGateway, UploadServerCertificateInput} from './gateways.js'

function fromMetadata(m: ServerCertificateMetadata | undefined): ServerCertificate {
  return {
    name: m?.ServerCertificateName ?? '',
    id: m?.ServerCertificateId ?? '',
    arn: m?.Arn ?? '',
    ...(m?.Path ? {path: m.Path} : {}),
    ...(m?.Expiration ? {expiration: m.Expiration.toISOString()} : {}),
    ...(m?.UploadDate ? {uploadDate: m.UploadDate.toISOString()} : {}),
  }
}

/** IamGateway: server certificates, for regions or keys ACM cannot serve. */
export class SdkIamGateway implements IamGateway {
  constructor(private readonly client: IAMClient) {}

  async uploadServerCertificate(input: UploadServerCertificateInput): Promise<ServerCertificate> {
    const out = await this.client.send(
      new UploadServerCertificateCommand({
        ServerCertificateName: input.name,
        CertificateBody: input.certificateBody,
        PrivateKey: input.privateKey,
        ...(input.certificateChain ? {CertificateChain: input.certificateChain} : {}),
        ...(input.tags?.length ? {Tags: input.tags.map((t) => ({Key: t.key, Value: t.value}))} : {}),
      }),
    )
    return fromMetadata(out.ServerCertificateMetadata)
  }

  async getServerCertificate(
    name: string,
  ): Promise<(ServerCertificate & {certificateBody?: string; tags: Tag[]}) | undefined> {
    try {
      const out = await this.client.send(new GetServerCertificateCommand({ServerCertificateName: name}))
      const c = out.ServerCertificate
      return {
        ...fromMetadata(c?.ServerCertificateMetadata),
        ...(c?.CertificateBody ? {certificateBody: c.CertificateBody} : {}),
        tags: (c?.Tags ?? []).map((t) => ({key: t.Key ?? '', value: t.Value ?? ''})),
      }
    } catch (error) {
      if (isAwsError(error, 'NoSuchEntity')) return undefined
      throw error
    }
  }

  async listServerCertificates(): Promise<ServerCertificate[]> {
    const all: ServerCertificate[] = []
    let marker: string | undefined
    do {
      const out = await this.client.send(new ListServerCertificatesCommand({Marker: marker}))
      all.push(...(out.ServerCertificateMetadataList ?? []).map(fromMetadata))
      marker = out.IsTruncated ? out.Marker : undefined
    } while (marker)
    return all
  }

  async deleteServerCertificate(name: string): Promise<void> {
    await this.client.send(new DeleteServerCertificateCommand({ServerCertificateName: name}))
  }
}
