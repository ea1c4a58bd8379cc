import type { TestProject } from 'vitest/node'
import { labUnavailableReason, startLab, stopLab } from './pcsc-lab'

declare module 'vitest' {
  export interface ProvidedContext {
    pcscLabSkipped: boolean
  }
}

/**
 * Starts pcscd with the vpcd driver for the lab suite. Without the lab (packages missing, or a system pcscd running) the suite is skipped
 * loudly, unless REQUIRE_PCSC_LAB=1 (CI), where a missing lab is a failure.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  const reason = labUnavailableReason()
  if (reason) {
    const msg = `PC/SC lab unavailable (${reason})`
    if (process.env.REQUIRE_PCSC_LAB === '1') throw new Error(`${msg} and REQUIRE_PCSC_LAB=1`)
    console.warn(`\n*** SKIPPED: ${msg}: lab tests will be skipped ***\n`)
    project.provide('pcscLabSkipped', true)
    return
  }
  await startLab()
  project.provide('pcscLabSkipped', false)
  return async () => {
    await stopLab()
  }
}
