// The default credential chain (environment, profile, SSO, IMDS). In the bundle (scripts/build.js)
// each provider stays a chunk of its own, loaded only when the chain reaches it.
export {fromNodeProviderChain} from '@aws-sdk/credential-providers'
