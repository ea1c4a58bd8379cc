import { Button, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { EnrollmentView } from '../../../shared/domain/enrollment'
import { recheckRequest } from '../../store/enrollment-actions'
import { useStationContext, useStationState } from '../../store/store-context'
import { CopyButton } from '../common/copy-button'

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM },
  id: { display: 'flex', alignItems: 'center', flexWrap: 'wrap', columnGap: tokens.spacingHorizontalS },
  code: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase400, wordBreak: 'break-all' },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
})

/**
 * Step `approval`: the request waits for an approver in CM. The operator notes (or copies) the request id,
 * checks again (`enrollment:start` by request id), or goes back Home (the page footer); it stays in "Enrollments in
 * progress".
 */
export function ApprovalStep({ view }: { view: EnrollmentView }): ReactNode {
  const { t } = useTranslation()
  const styles = useStyles()
  const { station, store } = useStationContext()
  const busy = useStationState((s) => s.enrollments.busy[view.requestId])
  if (view.status === 'working') return null
  return (
    <div className={styles.root} data-testid="approval-step">
      <Text weight="semibold" size={400}>
        {t('enrollment.approval.waiting')}
      </Text>
      <Text>{t('enrollment.approval.detail')}</Text>
      <div className={styles.id}>
        <Text>{t('enrollment.request')}:</Text>
        <code className={styles.code} data-testid="approval-request-id">
          {view.requestId}
        </code>
        <CopyButton text={view.requestId} label={t('enrollment.approval.copy')} testId="copy-request-id" />
      </div>
      <div className={styles.actions}>
        <Button
          appearance="primary"
          data-testid="check-approval"
          disabledFocusable={busy !== undefined}
          icon={busy === 'start' ? <Spinner size="extra-tiny" /> : null}
          onClick={() => void recheckRequest(station, store, view.requestId)}
        >
          {t('enrollment.approval.checkAgain')}
        </Button>
      </div>
    </div>
  )
}
