import type { FormEvent, ReactNode } from 'react';
import { t } from '../../../i18n';
import type { PlanTree } from '../types';
import type { Bound } from './fields';
import {
  afterSave,
  ConflictNotice,
  type Editing,
  FormButtons,
  FormCard,
  FormError,
  type MutationStatus,
  type OnDone,
  onAdded,
  type Pending,
  ReasonField,
  useBaseEtag,
  useMutationStatus,
} from './shared';

interface AddMutation<B> extends Pending {
  mutate: (body: B, options: { onSuccess: () => void }) => void;
}

interface UpdateMutation<B> extends Pending {
  mutateAsync: (input: { itemId: string; etag: string; body: B }) => Promise<unknown>;
}

/** What ItemFormShell needs from useItemSave. */
export interface ItemSave extends MutationStatus {
  plan: PlanTree;
  /** "Modifica azione A1" when editing, '' when adding. */
  editTitle: string;
  edit: Editing<unknown> | undefined;
  /** The add mutation, or with `edit` the update. */
  mutation: Pending;
}

/**
 * One objective, action or indicator form: POST when adding; with `edit`, PUT with If-Match on
 * the revision read when the form opened, closing the form once the plan is refetched.
 * Returns what ItemFormShell needs, and `save`.
 */
export function useItemSave<B extends { code: string }>(
  plan: PlanTree,
  onDone: OnDone,
  edit: Editing<{ id: string; code: string; revision: number }> | undefined,
  /** What the item is, as in "Modifica azione A1" and "Azione A1 salvata". */
  kindLabel: string,
  add: AddMutation<B>,
  update: UpdateMutation<B>,
) {
  const baseEtag = useBaseEtag(edit?.item.revision);
  const mutation = edit ? update : add;
  const status = useMutationStatus(plan.id, mutation);
  /** `added` reports an add, after which `reset` empties the form for the next one. */
  const save = (body: B, added: string, reset: () => void) => {
    if (edit)
      afterSave(update.mutateAsync({ itemId: edit.item.id, etag: baseEtag, body }), () =>
        edit.onClose(t.plan.itemSaved(kindLabel, body.code)),
      );
    else add.mutate(body, onAdded(onDone, added, reset));
  };
  // A conflict is only possible when editing: the add forms show any error as it is.
  const conflict = status.conflict && !!edit;
  const editTitle = edit ? t.plan.editItem(kindLabel, edit.item.code) : '';
  return { ...status, conflict, plan, edit, mutation, save, editTitle };
}

/**
 * The frame the item forms share: card (an h4 focused on open when editing), conflict notice,
 * the form's own fields, change reason, error and buttons. `prefix` starts the fields' ids.
 */
export function ItemFormShell({
  s,
  cardId,
  prefix,
  addTitle,
  className,
  submit,
  reason,
  onSubmit,
  children,
}: {
  s: ItemSave;
  cardId: string;
  prefix: string;
  addTitle: string;
  className: string;
  submit: string;
  reason: Bound;
  onSubmit: () => void;
  children: ReactNode;
}) {
  const { edit } = s;
  return (
    <FormCard id={cardId} title={edit ? s.editTitle : addTitle} level={edit ? 4 : 3} focusOnMount={!!edit}>
      {s.conflict && edit ? <ConflictNotice onReload={s.reloadThen(() => edit.onClose(''))} /> : null}
      <form
        className={`row ${className}`}
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          onSubmit();
        }}
        noValidate
      >
        {children}
        <ReasonField id={`${prefix}-reason`} plan={s.plan} error={s.errors.changeReason} {...reason} />
        {s.conflict ? null : <FormError error={s.mutation.error} />}
        <FormButtons
          pending={s.mutation.isPending}
          submit={edit ? t.plan.saveChanges : submit}
          onCancel={edit?.onCancel}
        />
      </form>
    </FormCard>
  );
}
