import {createHash} from 'node:crypto'

/**
 * The short hash elbx names its policies by (elbx-ssl-custom-<hash>, elbx-app-cookie-<hash>): the
 * same content gives the same name, so a rerun finds the policy instead of making another.
 */
export const contentHash = (text: string): string =>
  createHash('sha256').update(text).digest('hex').slice(0, 12)
