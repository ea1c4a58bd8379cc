import {
  POLICY_SOURCE_NAME,
  type PolicySource,
  type RegistryValue,
} from '../../../electron/services/policy/registry-policy'

/**
 * A policy key in memory, behind the same interface as the Windows registry source: what Group Policy would have
 * written under HKLM\SOFTWARE\Policies\CMEnrollment\CM Enrollment Station. Counts its reads.
 */
export function fakePolicySource(
  values: Record<string, RegistryValue> = {},
  failure?: Error,
): PolicySource & { reads: number } {
  const source = {
    name: POLICY_SOURCE_NAME,
    reads: 0,
    async readPolicies() {
      source.reads++
      if (failure) throw failure
      return structuredClone(values)
    },
  }
  return source
}

/** REG_SZ */
export const sz = (value: string): RegistryValue => ({ type: 'REG_SZ', value })
/** REG_EXPAND_SZ */
export const expandSz = (value: string): RegistryValue => ({ type: 'REG_EXPAND_SZ', value })
/** REG_DWORD */
export const dword = (value: number): RegistryValue => ({ type: 'REG_DWORD', value })
/** REG_MULTI_SZ */
export const multiSz = (...value: string[]): RegistryValue => ({ type: 'REG_MULTI_SZ', value })
