// The ACM client and the commands elbx sends, named one by one so the build (scripts/build.js) bundles
// only what they reach.
export {
  ACMClient,
  DescribeCertificateCommand,
  GetCertificateCommand,
  ListCertificatesCommand,
} from '@aws-sdk/client-acm'
