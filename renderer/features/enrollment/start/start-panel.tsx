import { Button, Spinner, Text, Title3, makeStyles, tokens, useId } from '@fluentui/react-components'
import { useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { ProfileTemplateId } from '../../../../shared/domain/cm'
import { START_KEY } from '../../../store/enrollment-slice'
import { startEnrollment } from '../../../store/enrollment-actions'
import { useStationContext, useStationState } from '../../../store/store-context'
import { IntentError } from '../intent-error'
import { ApprovedRequests } from './approved-requests'
import { HolderPicker, type HolderChoice } from './holder-picker'
import { RequestIdEntry } from './request-id-entry'
import { TemplateForm, policyComplete, type PolicyInput } from './template-form'

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalL },
  columns: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(20rem, 1fr))',
    gap: tokens.spacingHorizontalXXL,
    alignItems: 'start',
  },
  column: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalL },
  part: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalS },
  heading: { margin: 0 },
  subheading: { margin: 0, fontSize: tokens.fontSizeBase300 },
  muted: { color: tokens.colorNeutralForeground3 },
})

const EMPTY_INPUT: PolicyInput = { items: {}, comment: '' }

/**
 * The first step, "Holder & request", three ways in: (a) a new request for a holder (from their current badge,
 * or the directory), on a chosen template with its policy's data; (b) an existing request by id; (c) an approved
 * request from the list. Each ends in `enrollment:start`.
 */
export function StartPanel(props: { onTemplateChange: (templateId: string | null) => void }): ReactNode {
  const { t } = useTranslation()
  const styles = useStyles()
  const { station, store } = useStationContext()
  const busy = useStationState((s) => s.enrollments.busy[START_KEY] !== undefined)
  const templates = useStationState((s) => s.enrollments.templates)
  const [holder, setHolder] = useState<HolderChoice | null>(null)
  const [templateId, setTemplateId] = useState<string | null>(null)
  const [input, setInput] = useState<PolicyInput>(EMPTY_INPUT)
  const newId = useId('new-request')
  const holderId = useId('holder')
  const templateLabelId = useId('template')
  const existingId = useId('existing')
  const approvedId = useId('approved')

  const template = templates?.find((tpl) => tpl.uuid === templateId) ?? null
  const ready = holder !== null && template !== null && policyComplete(template, input) && !busy

  const chooseTemplate = (id: string | null): void => {
    setTemplateId(id)
    setInput(EMPTY_INPUT)
    props.onTemplateChange(id)
  }
  const chooseHolder = (choice: HolderChoice): void => {
    setHolder(choice)
    // The holder's current badge suggests its template, when the operator may issue on it and chose none yet.
    if (
      templateId === null &&
      choice.via === 'badge' &&
      templates?.some((tpl) => tpl.uuid === choice.templateId)
    ) {
      chooseTemplate(choice.templateId)
    }
  }
  const create = (): void => {
    if (!ready || !holder || !template) return
    const dataCollection = template.dataCollection.map((item) => ({
      name: item.name,
      value: input.items[item.name] ?? '',
    }))
    void startEnrollment(station, store, {
      kind: 'holder',
      holderUuid: holder.uuid,
      templateId: template.uuid as ProfileTemplateId,
      dataCollection,
      comment: template.collectComments ? input.comment : '',
      // The badge the operator started from is offered in the retire step (CM lists only the caller's own cards).
      ...(holder.via === 'badge' ? { fromSmartcardUuid: holder.smartcardUuid } : {}),
    })
  }
  const byRequest = (requestId: string): void => {
    void startEnrollment(station, store, { kind: 'request', requestId })
  }

  return (
    <div className={styles.root} data-testid="start-panel">
      <IntentError requestId={START_KEY} />
      <div className={styles.columns}>
        <section className={styles.column} aria-labelledby={newId}>
          <Title3 as="h3" id={newId} className={styles.heading}>
            {t('start.newRequest')}
          </Title3>
          <div className={styles.part}>
            <Text as="h4" id={holderId} weight="semibold" className={styles.subheading}>
              {t('start.holder')}
            </Text>
            <HolderPicker value={holder} onChange={chooseHolder} labelId={holderId} />
          </div>
          <div className={styles.part}>
            <Text as="h4" id={templateLabelId} weight="semibold" className={styles.subheading}>
              {t('start.template')}
            </Text>
            <TemplateForm
              templateId={templateId}
              onTemplate={chooseTemplate}
              input={input}
              onInput={setInput}
              labelId={templateLabelId}
            />
          </div>
          <div className={styles.part}>
            <div>
              <Button
                appearance="primary"
                data-testid="create-request"
                disabledFocusable={!ready}
                icon={busy ? <Spinner size="extra-tiny" /> : null}
                onClick={create}
              >
                {t('start.create')}
              </Button>
            </div>
            {!ready && !busy ? (
              <Text size={200} className={styles.muted}>
                {t('start.createHint')}
              </Text>
            ) : null}
          </div>
        </section>
        <div className={styles.column}>
          <section className={styles.part} aria-labelledby={existingId}>
            <Title3 as="h3" id={existingId} className={styles.heading}>
              {t('start.byRequest')}
            </Title3>
            <RequestIdEntry busy={busy} onSubmit={byRequest} />
          </section>
          <section className={styles.part} aria-labelledby={approvedId}>
            <Title3 as="h3" id={approvedId} className={styles.heading}>
              {t('start.approved')}
            </Title3>
            <ApprovedRequests busy={busy} onPick={byRequest} />
          </section>
        </div>
      </div>
    </div>
  )
}
