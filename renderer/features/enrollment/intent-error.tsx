import { MessageBar, MessageBarBody, MessageBarTitle } from '@fluentui/react-components'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { ErrorInfo } from '../../../shared/errors'
import { useStationState } from '../../store/store-context'
import { ErrorDetails } from '../common/error-details'

/**
 * Why the operator's last action on this enrollment (or on the start screen) was refused, e.g. a card that is
 * already registered, a wrong PIN with the tries left, or a request id CM does not know.
 */
export function IntentError(props: { requestId: string; viewError?: ErrorInfo | null }): ReactNode {
  const { t } = useTranslation()
  const failure = useStationState((s) => s.enrollments.actionErrors[props.requestId])
  if (!failure) return null
  // The same failure already shown from the view: say it once. Another one keeps its own test id, so
  // `enrollment-error` stays unique on the page.
  if (props.viewError && props.viewError.code === failure.error.code) return null
  const testId = props.viewError ? 'action-error' : 'enrollment-error'
  return (
    <MessageBar intent="error" layout="multiline" politeness="assertive">
      <MessageBarBody>
        <MessageBarTitle>{t('enrollment.actionFailed')}</MessageBarTitle>
        <ErrorDetails error={failure.error} testId={testId} />
      </MessageBarBody>
    </MessageBar>
  )
}
