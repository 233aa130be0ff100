import {InvalidInputError} from '../errors.js'

/**
 * A file flag given an empty value (`--chain-file ''`, often an unset shell variable) is a usage
 * error, never "no file": silently dropping it would create something other than what was asked.
 */
export function checkFilePath(flag: string, path: string): string {
  if (path.trim() === '') {
    throw new InvalidInputError(
      `${flag} is empty: it needs the path of a file.`,
      `Give ${flag} PATH, or leave ${flag} out.`,
    )
  }
  return path
}
