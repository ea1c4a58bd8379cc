import type { BadgeProps } from '@fluentui/react-components'
import type { TFunction } from 'i18next'
import { OPERATION_NAMES } from '../../../shared/cm/enums'
import type { CmEnumValue } from '../../../shared/domain/cm'

/** `Smartcard.Status` names (shared/cm/enums.ts SMARTCARD_STATUS) → message key; checked against en.json. */
const STATUS_KEYS = {
  None: 'cards.status.None',
  New: 'cards.status.New',
  Assigned: 'cards.status.Assigned',
  Active: 'cards.status.Active',
  Disabled: 'cards.status.Disabled',
  Suspended: 'cards.status.Suspended',
  Retired: 'cards.status.Retired',
} as const

type StatusName = keyof typeof STATUS_KEYS

/** Badge colour per status: usable green, in progress blue, blocked amber/red, gone grey. */
const STATUS_COLORS: Readonly<Record<StatusName, NonNullable<BadgeProps['color']>>> = {
  None: 'subtle',
  New: 'informative',
  Assigned: 'brand',
  Active: 'success',
  Disabled: 'danger',
  Suspended: 'warning',
  Retired: 'subtle',
}

function knownStatus(name: string | undefined): StatusName | null {
  return name !== undefined && Object.hasOwn(STATUS_KEYS, name) ? (name as StatusName) : null
}

/**
 * The localized status of a CM card: the enum name (decoded in main, cm-rest-api.md §4.1), or
 * "Unknown (n)" for a number the table does not know (§4.9: keep the raw number visible).
 */
export function statusLabel(t: TFunction, status: CmEnumValue): string {
  const known = knownStatus(status.name)
  if (known) return t(STATUS_KEYS[known])
  return status.name ?? t('cards.statusUnknown', { raw: status.raw })
}

/** The badge colour of a CM card status. */
export function statusColor(status: CmEnumValue): NonNullable<BadgeProps['color']> {
  const known = knownStatus(status.name)
  return known ? STATUS_COLORS[known] : 'subtle'
}

type OperationName = (typeof OPERATION_NAMES)[number]

const OPERATION_KEYS = {
  onlineupdate: 'cards.operation.onlineupdate',
  renew: 'cards.operation.renew',
  recover: 'cards.operation.recover',
  recoveronbehalf: 'cards.operation.recoveronbehalf',
  retire: 'cards.operation.retire',
  revoke: 'cards.operation.revoke',
  unblock: 'cards.operation.unblock',
  disable: 'cards.operation.disable',
} as const satisfies Record<OperationName, `cards.operation.${OperationName}`>

/** The localized name of a CM operation (E18, lower case); an operation this UI does not know stays verbatim. */
export function operationLabel(t: TFunction, operation: string): string {
  const key = (OPERATION_NAMES as readonly string[]).includes(operation)
    ? OPERATION_KEYS[operation as OperationName]
    : null
  return key ? t(key) : operation
}
