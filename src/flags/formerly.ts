/**
 * An old spelling kept working for one release after a flag was renamed to the one spelling every
 * command uses: oclif accepts the alias and warns that it is deprecated, and the description says
 * so, because oclif's help does not list flag aliases.
 */
export function formerly(
  old: string | undefined,
  description: string,
): {description: string; aliases?: string[]; deprecateAliases?: boolean} {
  if (!old) return {description}
  return {
    description: `${description} (--${old} is a deprecated alias.)`,
    aliases: [old],
    deprecateAliases: true,
  }
}

/** What a step command passes to its step's flags: help group, the old spellings it accepted. */
export interface StepFlagOptions {
  helpGroup?: string
  /** Accept the spellings this command used before the rename (as deprecated aliases). */
  formerSpellings?: boolean
  /** More flags each of these flags cannot be given with (policy ssl: --list, --show). */
  exclusive?: string[]
}
