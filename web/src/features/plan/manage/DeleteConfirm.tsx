import { type FormEvent, useEffect, useRef } from 'react';
import { t } from '../../../i18n';
import { type ItemPath, useDeleteItem } from '../api';
import type { PlanTree } from '../types';
import { reasonOf, useFields } from './fields';
import {
  afterSave,
  ConflictOrError,
  FormButtons,
  ReasonField,
  useBaseEtag,
  useMutationStatus,
} from './shared';

export type ItemKind = 'objective' | 'specific' | 'action' | 'indicator';

const itemPath = (kind: ItemKind): ItemPath =>
  kind === 'action' ? 'actions' : kind === 'indicator' ? 'indicators' : 'objectives';

/** Inline confirmation of a delete: If-Match with the revision read when it opened; 409 shows `detail`. */
export function DeleteConfirm({
  plan,
  kind,
  itemId,
  code,
  revision,
  onCancel,
  onClose,
}: {
  plan: PlanTree;
  kind: ItemKind;
  itemId: string;
  code: string;
  revision: number;
  onCancel: () => void;
  onClose: (message: string, deleted: boolean) => void;
}) {
  const baseEtag = useBaseEtag(revision);
  const del = useDeleteItem(plan.id, itemPath(kind));
  const status = useMutationStatus(plan.id, del);
  const f = useFields({ changeReason: '' });
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const id = `delete-${itemId}`;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    afterSave(del.mutateAsync({ itemId, etag: baseEtag, ...reasonOf(plan, f.values.changeReason) }), () =>
      onClose(t.plan.itemDeleted(`${t.plan.itemKinds[kind]} ${code}`), true),
    );
  };
  return (
    <section className="plan-delete border border-danger rounded p-3 mt-2" aria-labelledby={`${id}-q`}>
      <p id={`${id}-q`} ref={ref} tabIndex={-1} className="fw-semibold">
        {t.plan.deleteConfirm(t.plan.itemKindsOf[kind], code)}
      </p>
      <ConflictOrError
        status={status}
        error={del.error}
        onReload={status.reloadThen(() => onClose('', false))}
      />
      <form className="row delete-form" onSubmit={onSubmit} noValidate>
        <ReasonField
          id={`${id}-reason`}
          plan={plan}
          error={status.errors.changeReason}
          {...f.bind('changeReason')}
        />
        <FormButtons
          pending={del.isPending}
          submit={t.plan.deleteSubmit}
          color="danger"
          onCancel={onCancel}
        />
      </form>
    </section>
  );
}
