// Loader hooks for module-trace.mjs; they run on the loader thread.
import {appendFileSync} from 'node:fs'

let traceFile

export function initialize(file) {
  traceFile = file
}

export async function load(url, context, nextLoad) {
  if (url.startsWith('file:')) appendFileSync(traceFile, url + '\n')
  return nextLoad(url, context)
}
