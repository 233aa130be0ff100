import type {Ec2Gateway, ElbGateway} from '../../../src/aws/gateways.js'
import type {Clock} from '../../../src/steps/wait-for-in-service.js'

/** A clock whose sleep returns at once, moving time forward; records every sleep. */
export class FakeClock implements Clock {
  time = 1_000_000
  readonly sleeps: number[] = []
  now(): number {
    return this.time
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms)
    this.time += ms
  }
}

/** An error shaped like the SDK's for a given shape name (what src/aws/errors.ts maps to wire codes). */
export function sdkError(name: string, message = name): Error {
  return Object.assign(new Error(message), {name, $metadata: {httpStatusCode: 400, requestId: 'req-1'}})
}

/**
 * A gateway whose every method fails unless the test gives it, so a step calling something
 * unexpected fails loudly. A Proxy, so methods other engineers add to the interface need no edit here.
 */
function fake<T extends object>(overrides: Partial<T>): T {
  return new Proxy(overrides, {
    get(target, property) {
      if (property in target) return target[property as keyof typeof target]
      if (typeof property === 'symbol' || property === 'then') return undefined
      return () => {
        throw new Error(`${property} is not used by this test`)
      }
    },
  }) as T
}

/** An ElbGateway whose every method fails unless the test overrides it. */
export const fakeElb = (overrides: Partial<ElbGateway>): ElbGateway => fake(overrides)

/** An Ec2Gateway whose every method fails unless the test overrides it. */
export const fakeEc2 = (overrides: Partial<Ec2Gateway>): Ec2Gateway => fake(overrides)
