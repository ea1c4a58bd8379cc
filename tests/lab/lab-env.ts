import { describe, inject } from 'vitest'

/** True when the global setup found no lab (and REQUIRE_PCSC_LAB is not set). */
export const LAB_SKIPPED = inject('pcscLabSkipped')

/** `describe` that skips, with the reason in its name, when the PC/SC lab is not installed. */
export const describeLab = (name: string, fn: () => void): void => {
  if (LAB_SKIPPED) describe.skip(`${name} [SKIPPED: PC/SC lab not installed]`, fn)
  else describe(name, fn)
}
