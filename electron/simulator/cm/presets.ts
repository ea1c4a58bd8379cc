import type { SimSwitches } from './switches'

/** Named fault presets (cm-rest-api.md SIM-F3). */
export const PRESET_NAMES = [
  'legacy-vsc-renew-forbidden',
  'online-update-conflict',
  'agent-cert-renewed',
  'api-disabled',
  'unknown-enum-values',
  'error-body-variants',
] as const

/** A preset name. */
export type PresetName = (typeof PRESET_NAMES)[number]

/** Parameters some presets take. */
export interface PresetParams {
  /** agent-cert-renewed: only this template (Uuid or Key); default all. */
  template?: string
  /** error-body-variants: which 500 body shape (default "property-only"). */
  variant?: SimSwitches['errorBodyVariant']
}

/** What the control API must do for a preset. */
export interface PresetEffect {
  switches: Partial<SimSwitches>
  rotateSecretOf: 'all' | string | null
}

/** Translate a preset into switch changes and actions. */
export function presetEffect(name: PresetName, params: PresetParams = {}): PresetEffect {
  switch (name) {
    case 'legacy-vsc-renew-forbidden':
      // MIM builds before 4.4.1749.0 / 4.5.26.0 answered 403 to a vSC Renew from the Modern App.
      return { switches: { legacyVscRenewForbidden: true }, rotateSecretOf: null }
    case 'online-update-conflict':
      // Fixed in 4.5.26.0: "Record has been updated or deleted by another user."
      return { switches: { onlineUpdateConflict: true }, rotateSecretOf: null }
    case 'agent-cert-renewed':
      // SIM-C8: renewing the CM agent certificate changes every diversified key.
      return { switches: {}, rotateSecretOf: params.template ?? 'all' }
    case 'api-disabled':
      return { switches: { apiEnabled: false }, rotateSecretOf: null }
    case 'unknown-enum-values':
      return { switches: { unknownEnumValues: true }, rotateSecretOf: null }
    case 'error-body-variants':
      return { switches: { errorBodyVariant: params.variant ?? 'property-only' }, rotateSecretOf: null }
  }
}
