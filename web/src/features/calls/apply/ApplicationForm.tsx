import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button } from 'design-react-kit';
import { type FormEvent, useRef, useState } from 'react';
import { ApiError, errorMessage } from '../../../api/client';
import { t } from '../../../i18n';
import { callKeys, submitApplication } from '../api';
import { ErrorSummary, type SummaryItem } from '../ErrorSummary';
import type { CallRules, CallView, DeclaredRelationship, Receipt, SubmissionBody } from '../types';
import { AttachmentFields } from './AttachmentFields';
import { DeclarationFields } from './DeclarationFields';
import { MoneyFields } from './MoneyFields';
import { controlId, serverErrors } from './model';
import { PersonFields } from './PersonFields';
import { RelationshipField } from './RelationshipField';
import { useApplicationForm } from './useApplicationForm';

const f = () => t.calls.form;

/** An Idempotency-Key; crypto.randomUUID exists only on secure origins, getRandomValues everywhere. */
function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Every key the form can show an error for, in the order of the fields, with its label. */
function fieldLabels(rules: CallRules): Array<[string, string]> {
  const l = f();
  return [
    ['relationship', l.relationship],
    ['firstName', l.firstName],
    ['lastName', l.lastName],
    ['codiceFiscale', l.codiceFiscale],
    ['birthDate', l.birthDate],
    ['gender', l.gender],
    ['birthPlace', l.birthPlace],
    ['residenceIstat', l.residence],
    ['address', l.address],
    ['email', l.email],
    ['phone', l.phone],
    ['isee.type', l.iseeType],
    ['isee.valueCents', l.iseeValue],
    ['isee.dsuProtocol', l.dsuProtocol],
    ['isee.dsuDate', l.dsuDate],
    ['householdMembers', l.household],
    ...rules.eligibility.conditions.map((c): [string, string] => [`conditions.${c.code}`, c.label]),
    ...rules.fields.map((x): [string, string] => [`fields.${x.code}`, x.label]),
    ['requestedCents', l.requested],
    ['iban', l.iban],
    ...rules.attachments.map((a): [string, string] => [`attachments.${a.code}`, a.label]),
  ];
}

/**
 * The application for a call. One Idempotency-Key per opened form: a double click, or sending
 * again after a lost answer, gets the same receipt and never a second application.
 */
export function ApplicationForm({
  call,
  onBehalf,
  onReceipt,
}: {
  call: CallView;
  onBehalf: boolean;
  onReceipt: (receipt: Receipt) => void;
}) {
  const { rules } = call;
  const form = useApplicationForm(rules);
  const [key] = useState(newKey);
  const [attempt, setAttempt] = useState(0);
  const [general, setGeneral] = useState<string[]>([]);
  // An operator of the office files for the citizen: the server records that, nothing to declare.
  const [relationship, setRelationship] = useState<DeclaredRelationship>('self');
  const sending = useRef(false);
  const queryClient = useQueryClient();
  const send = useMutation({ mutationFn: (body: SubmissionBody) => submitApplication(call.id, key, body) });

  const labels = fieldLabels(rules);
  const known = new Set(labels.map(([k]) => k));
  const shown = form.shownErrors();
  const items: SummaryItem[] = labels.flatMap(([k, label]) =>
    shown[k] ? [{ key: k, label: label.charAt(0).toUpperCase() + label.slice(1), message: shown[k] }] : [],
  );

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (sending.current) return;
    form.showAll();
    setGeneral([]);
    const { applicant, attachments } = form.result;
    const fileProblem = labels.some(([k]) => k.startsWith('attachments.') && form.error(k));
    if (!applicant || fileProblem) {
      setAttempt((n) => n + 1);
      return;
    }
    sending.current = true;
    send.mutate(onBehalf ? { applicant, attachments } : { relationship, applicant, attachments }, {
      onSuccess: (receipt) => {
        void queryClient.invalidateQueries({ queryKey: callKeys.mine });
        onReceipt(receipt);
      },
      onError: (err) => {
        const problems = err instanceof ApiError ? (err.problem?.errors ?? []) : [];
        const { byKey, general: rest } = serverErrors(problems, attachments, (k) => known.has(k));
        form.setServer(byKey);
        const mapped = Object.keys(byKey).length > 0;
        // A refusal that names no field (the call closed meanwhile, a lost connection) is said at the top.
        setGeneral([...new Set([...(mapped ? [] : [errorMessage(err)]), ...rest])]);
        setAttempt((n) => n + 1);
      },
      onSettled: () => {
        sending.current = false;
      },
    });
  };

  return (
    <form className="application-form" onSubmit={onSubmit} noValidate aria-describedby="application-intro">
      <ErrorSummary items={items} general={general} attempt={attempt} idOf={controlId} />
      <p id="application-intro">{onBehalf ? f().introOnBehalf : f().intro}</p>
      <p className="small text-secondary">{f().allRequired}</p>
      {onBehalf ? null : (
        <RelationshipField
          value={relationship}
          error={form.error('relationship')}
          onChange={(r) => {
            setRelationship(r);
            form.setServer(({ relationship: _, ...rest }) => rest);
          }}
        />
      )}
      <PersonFields form={form} ambitoId={call.ambitoId} />
      <MoneyFields form={form} rules={rules} />
      <DeclarationFields form={form} rules={rules} />
      <AttachmentFields form={form} rules={rules.attachments} />
      <p className="small">{f().declaration}</p>
      <div className="d-flex align-items-center gap-3">
        <Button type="submit" color="primary" disabled={send.isPending} className="application-submit">
          {send.isPending ? f().sending : f().submit}
        </Button>
        <span role="status" className="small">
          {send.isPending ? f().sendingStatus : ''}
        </span>
      </div>
    </form>
  );
}
