/** The closest known names to a mistyped one (case ignored), for "did you mean". */
export function closestNames(name: string, candidates: readonly string[], max = 3): string[] {
  const distance = (a: string, b: string): number => {
    const row = Array.from({length: b.length + 1}, (_, i) => i)
    for (let i = 1; i <= a.length; i++) {
      let previous = row[0]!
      row[0] = i
      for (let j = 1; j <= b.length; j++) {
        const current = row[j]!
        row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1))
        previous = current
      }
    }
    return row[b.length]!
  }
  const upper = name.toUpperCase()
  return candidates
    .map((c) => ({c, d: distance(upper, c.toUpperCase())}))
    .filter((x) => x.d <= Math.max(3, Math.floor(upper.length / 4)))
    .sort((a, b) => a.d - b.d)
    .slice(0, max)
    .map((x) => x.c)
}
