// The IAM client and the commands elbx sends, named one by one so the build (scripts/build.js) bundles
// only what they reach.
export {
  IAMClient,
  DeleteServerCertificateCommand,
  GetServerCertificateCommand,
  ListServerCertificatesCommand,
  UploadServerCertificateCommand,
} from '@aws-sdk/client-iam'
export type {ServerCertificateMetadata} from '@aws-sdk/client-iam'
