import type { FaultRule } from './faults'
import type { SimSwitches } from './switches'

/** Named fault presets (cm-rest-api.md SIM-F3). */
export const PRESET_NAMES = [
  'legacy-vsc-renew-forbidden',
  'online-update-conflict',
  'agent-cert-renewed',
  'api-disabled',
  'unknown-enum-values',
  'error-body-variants',
  'windows-sign-in-refused',
] as const

/** A preset name. */
export type PresetName = (typeof PRESET_NAMES)[number]

/** Parameters some presets take. */
export interface PresetParams {
  /** agent-cert-renewed: only this template (Uuid or Key); default all. */
  template?: string
  /** error-body-variants: which 500 body shape (default "property-only"). */
  variant?: SimSwitches['errorBodyVariant']
  /** windows-sign-in-refused: the Basic realm IIS offers beside Negotiate and NTLM (default "cm.contoso.com"). */
  realm?: string
}

/** What the control API must do for a preset. */
export interface PresetEffect {
  switches: Partial<SimSwitches>
  rotateSecretOf: 'all' | string | null
  /** Fault rules to add (removed again by clearFaults, as any rule). */
  faults: FaultRule[]
}

/** The fault rule of the windows-sign-in-refused preset (its id, to remove it alone). */
export const SIGN_IN_REFUSED_FAULT = 'windows-sign-in-refused'

/** Translate a preset into switch changes and actions. */
export function presetEffect(name: PresetName, params: PresetParams = {}): PresetEffect {
  switch (name) {
    case 'legacy-vsc-renew-forbidden':
      // MIM builds before 4.4.1749.0 / 4.5.26.0 answered 403 to a vSC Renew from the Modern App.
      return { switches: { legacyVscRenewForbidden: true }, rotateSecretOf: null, faults: [] }
    case 'online-update-conflict':
      // Fixed in 4.5.26.0: "Record has been updated or deleted by another user."
      return { switches: { onlineUpdateConflict: true }, rotateSecretOf: null, faults: [] }
    case 'agent-cert-renewed':
      // SIM-C8: renewing the CM agent certificate changes every diversified key.
      return { switches: {}, rotateSecretOf: params.template ?? 'all', faults: [] }
    case 'api-disabled':
      return { switches: { apiEnabled: false }, rotateSecretOf: null, faults: [] }
    case 'unknown-enum-values':
      return { switches: { unknownEnumValues: true }, rotateSecretOf: null, faults: [] }
    case 'error-body-variants':
      return {
        switches: { errorBodyVariant: params.variant ?? 'property-only' },
        rotateSecretOf: null,
        faults: [],
      }
    case 'windows-sign-in-refused':
      // IIS refusing the desk's Windows sign-in (no Kerberos ticket for the SPN, NTLM refused, the account locked
      // out): 401 on every API call, whatever the credentials, with Windows Authentication's two challenges and —
      // Basic Authentication also enabled on the site — a third, `Basic realm="…"`, and IIS's HTML 401 page
      // (cm-rest-api.md §1.5, §1.7, SIM-A1). clearFaults (or removeFault(SIGN_IN_REFUSED_FAULT)) lets sign-in work
      // again; the challenges stay as configured.
      return {
        switches: { authMode: 'wia', basicRealm: params.realm ?? 'cm.contoso.com' },
        rotateSecretOf: null,
        faults: [
          {
            id: SIGN_IN_REFUSED_FAULT,
            match: { pathRegex: '^/CertificateManagement/api/' },
            action: { type: 'status', code: 401 },
          },
        ],
      }
  }
}
