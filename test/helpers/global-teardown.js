export default async function globalTeardown() {
  await Promise.all((globalThis.__ELBX_MOTO__ ?? []).map((s) => s.stop()))
}
