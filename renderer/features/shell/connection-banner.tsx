import { MessageBar, MessageBarBody } from '@fluentui/react-components'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { useStationState } from '../../store/store-context'

/** Shown while the browser-preview bridge is not connected (never under Electron, whose link is always open). */
export function ConnectionBanner(): ReactNode {
  const { t } = useTranslation()
  const status = useStationState((s) => s.connection.status)
  const wasOpen = useStationState((s) => s.connection.wasOpen)
  if (status === 'open') return null
  return (
    <MessageBar
      intent={wasOpen ? 'error' : 'info'}
      politeness="polite"
      data-testid="connection-state"
      data-state={status}
    >
      <MessageBarBody>{t(wasOpen ? 'connection.lost' : 'connection.connecting')}</MessageBarBody>
    </MessageBar>
  )
}
