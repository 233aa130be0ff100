/**
 * Runs `work` over every item with at most `limit` at once, results in the items' order. Probes
 * go through it so that a policy with a hundred ciphers to try opens a bounded number of
 * connections at a time, however fast or slow the endpoint answers.
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await work(items[index]!)
    }
  }
  await Promise.all(Array.from({length: Math.min(Math.max(1, limit), items.length)}, worker))
  return results
}
