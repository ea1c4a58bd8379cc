import {
  Badge,
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Radio,
  RadioGroup,
  Spinner,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { EnrollTemplateView } from '../../../../shared/domain/enrollment'
import { errorMessage } from '../../../i18n/error-message'
import { reloadEnrollmentLists } from '../../../store/enrollment-sync'
import { useStationContext, useStationState } from '../../../store/store-context'

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM },
  label: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalXXS },
  tags: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS },
  muted: { color: tokens.colorNeutralForeground3 },
})

function TemplateLabel({ template }: { template: EnrollTemplateView }): ReactNode {
  const { t } = useTranslation()
  const styles = useStyles()
  const rules = template.pinRules
  return (
    <span className={styles.label}>
      <Text weight="semibold">{template.name}</Text>
      {template.description ? (
        <Text size={200} className={styles.muted}>
          {template.description}
        </Text>
      ) : null}
      <span className={styles.tags}>
        {template.needsApproval ? (
          <Badge appearance="tint" color="warning">
            {t('start.needsApproval')}
          </Badge>
        ) : null}
        {template.isVirtualSmartcard ? (
          <Badge appearance="tint" color="informative">
            {t('start.virtual')}
          </Badge>
        ) : null}
        <Badge appearance="tint" color={rules.conflict ? 'danger' : 'brand'}>
          {rules.conflict
            ? t('start.pinConflict')
            : t('start.pinLength', { min: rules.minLength, max: rules.maxLength })}
        </Badge>
      </span>
    </span>
  )
}

/** What the operator typed for the template's Enroll policy. */
export interface PolicyInput {
  items: Readonly<Record<string, string>>
  comment: string
}

/** Every required data item has a value. */
export function policyComplete(template: EnrollTemplateView, input: PolicyInput): boolean {
  return template.dataCollection.every(
    (item) => !item.required || (input.items[item.name] ?? '').trim() !== '',
  )
}

/**
 * The templates the operator may issue badges on (`enrollment:list-templates`: name, description, approval,
 * PIN rules) and, for the chosen one, its Enroll policy's data items and the comment when `collectComments`.
 */
export function TemplateForm(props: {
  templateId: string | null
  onTemplate: (templateId: string) => void
  input: PolicyInput
  onInput: (input: PolicyInput) => void
  labelId: string
}): ReactNode {
  const { t } = useTranslation()
  const styles = useStyles()
  const { store } = useStationContext()
  const templates = useStationState((s) => s.enrollments.templates)
  const failure = useStationState((s) => s.enrollments.templatesError)
  if (templates === null) {
    return failure ? (
      <MessageBar intent="error" data-testid="templates-error">
        <MessageBarBody>
          {t('start.templatesFailed', { message: errorMessage(t, failure) })}{' '}
          <Button size="small" onClick={() => reloadEnrollmentLists(store)}>
            {t('common.tryAgain')}
          </Button>
        </MessageBarBody>
      </MessageBar>
    ) : (
      <Spinner size="tiny" labelPosition="after" label={t('start.loadingTemplates')} />
    )
  }
  if (templates.length === 0) return <Text data-testid="templates-none">{t('start.noTemplates')}</Text>
  const chosen = templates.find((tpl) => tpl.uuid === props.templateId) ?? null
  return (
    <div className={styles.root}>
      <RadioGroup
        aria-labelledby={props.labelId}
        value={props.templateId ?? ''}
        onChange={(_e, data) => props.onTemplate(data.value)}
      >
        {templates.map((template) => (
          <Radio
            key={template.uuid}
            value={template.uuid}
            data-testid="template-option"
            data-template-id={template.uuid}
            label={<TemplateLabel template={template} />}
          />
        ))}
      </RadioGroup>
      {chosen?.dataCollection.map((item) => (
        <Field key={item.name} label={item.name} required={item.required}>
          <Input
            data-testid="data-item"
            data-item-name={item.name}
            maxLength={1000}
            value={props.input.items[item.name] ?? ''}
            onChange={(_e, data) =>
              props.onInput({ ...props.input, items: { ...props.input.items, [item.name]: data.value } })
            }
          />
        </Field>
      ))}
      {chosen?.collectComments ? (
        <Field label={t('start.comment')}>
          <Textarea
            data-testid="request-comment"
            maxLength={1000}
            value={props.input.comment}
            onChange={(_e, data) => props.onInput({ ...props.input, comment: data.value })}
          />
        </Field>
      ) : null}
    </div>
  )
}
