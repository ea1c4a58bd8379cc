import { Button, Spinner, Text, makeStyles, tokens, useId } from '@fluentui/react-components'
import { useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { RequestId } from '../../../shared/domain/cm'
import { navigate } from '../../store/enrollment-actions'
import { useStationContext, useStationState } from '../../store/store-context'
import { PageHeading } from '../common/page-heading'
import { PersonName } from '../directory/person-name'
import { CancelEnrollment } from './cancel-enrollment'
import { EnrollmentStepper } from './enrollment-stepper'
import { FlowBody } from './flow-body'
import { StartPanel } from './start/start-panel'
import { TemplateName, useTemplate } from './template-name'

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalL },
  header: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalXS },
  subtitle: {
    display: 'flex',
    flexWrap: 'wrap',
    columnGap: tokens.spacingHorizontalM,
    color: tokens.colorNeutralForeground2,
  },
  code: { fontFamily: tokens.fontFamilyMonospace, wordBreak: 'break-all' },
  footer: {
    display: 'flex',
    flexWrap: 'wrap',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalS,
    paddingTop: tokens.spacingVerticalM,
    borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
})

/**
 * "Issue a badge": the flow container. Without a request id it is the first step (holder & request); with one it
 * follows that enrollment as main reports it. `data-*` mirror the EnrollmentView for the e2e tests
 * (`data-step="request"` before a request exists).
 */
export function IssuePage(props: { requestId: RequestId | null }): ReactNode {
  const { t } = useTranslation()
  const styles = useStyles()
  const { store } = useStationContext()
  const headingId = useId('issue')
  const view = useStationState((s) =>
    props.requestId ? (s.enrollments.list.find((e) => e.requestId === props.requestId) ?? null) : null,
  )
  const loaded = useStationState((s) => s.enrollments.loaded)
  // The template picked on the first step, so the stepper can show approval before a request exists.
  const [pickedTemplate, setPickedTemplate] = useState<string | null>(null)
  const template = useTemplate(view ? view.templateId : pickedTemplate)

  return (
    <section
      className={styles.root}
      aria-labelledby={headingId}
      data-testid="enrollment"
      data-request-id={view?.requestId}
      data-step={view ? view.step : 'request'}
      data-status={view?.status}
      data-prompt={view?.prompt ?? undefined}
    >
      <div className={styles.header}>
        <PageHeading id={headingId}>{t('enrollment.heading')}</PageHeading>
        {view ? (
          <Text className={styles.subtitle}>
            <span>
              {t('enrollment.holder')}:{' '}
              <PersonName uuid={view.holderUuid} testId="enrollment-holder" withAccount />
            </span>
            <span>
              {t('enrollment.template')}: <TemplateName templateId={view.templateId} />
            </span>
            <span>
              {t('enrollment.request')}: <code className={styles.code}>{view.requestId}</code>
            </span>
          </Text>
        ) : null}
      </div>
      <EnrollmentStepper view={view} withApproval={template?.needsApproval === true} />
      {props.requestId === null ? (
        <StartPanel onTemplateChange={setPickedTemplate} />
      ) : view ? (
        <FlowBody view={view} />
      ) : loaded ? (
        <Text data-testid="enrollment-gone">{t('enrollment.gone')}</Text>
      ) : (
        <Spinner size="small" labelPosition="after" label={t('enrollment.loading')} />
      )}
      <div className={styles.footer}>
        <Button data-testid="back-home" onClick={() => navigate(store, { name: 'home' })}>
          {t('common.backHome')}
        </Button>
        {view ? <CancelEnrollment view={view} /> : null}
      </div>
    </section>
  )
}
