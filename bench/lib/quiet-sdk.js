// Imported first by run.js, before any module that loads the AWS SDK: the SDK warns on Node.js 20
// that future releases need Node.js 22, which would only clutter the bench's output (bin/run.js
// does the same for elbx itself).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
