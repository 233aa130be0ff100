// Imported first by the demo and the bench, before any module that loads the AWS SDK: the SDK
// warns on Node.js 20 that future releases need Node.js 22, which would only clutter their output
// (bin/run.js does the same for elbx itself).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
