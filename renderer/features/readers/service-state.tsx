import { MessageBar, MessageBarBody, MessageBarTitle, Spinner } from '@fluentui/react-components'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { PcscServiceState } from '../../../shared/domain/reader'
import { assertNever } from '../../../shared/result'

function ServiceMessage(props: { state: PcscServiceState; readerCount: number }): ReactNode {
  const { t } = useTranslation()
  switch (props.state) {
    case 'starting':
      return <Spinner size="tiny" labelPosition="after" label={t('readers.serviceStarting')} />
    case 'available':
      if (props.readerCount > 0) return null
      return (
        <MessageBar intent="info" politeness="polite">
          <MessageBarBody>{t('readers.noReaders')}</MessageBarBody>
        </MessageBar>
      )
    case 'unavailable':
      // The reader service retries with backoff and recovers by itself (shared/domain/reader.ts).
      return (
        <MessageBar intent="warning" politeness="polite">
          <MessageBarBody>{t('readers.serviceUnavailable')}</MessageBarBody>
        </MessageBar>
      )
    case 'unsupported':
      return (
        <MessageBar intent="error" layout="multiline" politeness="polite">
          <MessageBarBody>
            <MessageBarTitle>{t('readers.serviceUnsupported')}</MessageBarTitle>
            {t('readers.serviceUnsupportedDetail')}
          </MessageBarBody>
        </MessageBar>
      )
    default:
      return assertNever(props.state)
  }
}

/** The PC/SC service state line; always rendered so e2e tests can read `data-state` (hidden when silent). */
export function ServiceState(props: { state: PcscServiceState; readerCount: number }): ReactNode {
  const quiet = props.state === 'available' && props.readerCount > 0
  return (
    <div data-testid="service-state" data-state={props.state} hidden={quiet}>
      <ServiceMessage state={props.state} readerCount={props.readerCount} />
    </div>
  )
}
