// Markdown the benchmarks write into docs/, in the repository's prettier style, so that
// `npm run lint` stays clean after a bench run.

/** The markdown formatted by prettier, or as it is when prettier (a devDependency) is missing. */
export async function formatted(file, markdown) {
  try {
    const prettier = await import('prettier')
    return await prettier.format(markdown, {...(await prettier.resolveConfig(file)), filepath: file})
  } catch {
    return markdown
  }
}
