import { Button } from 'design-react-kit';
import { type ReactNode, useEffect, useState } from 'react';
import { t } from '../../../i18n';
import type { IndicatorView, PlanTree } from '../types';
import { ActionForm } from './ActionForm';
import { DeleteConfirm, type ItemKind } from './DeleteConfirm';
import { IndicatorForm } from './IndicatorForm';
import { generalItem, ObjectiveForm, specificItem } from './ObjectiveForm';
import type { OnDone } from './shared';

type Mode = 'edit' | 'delete';
type OpenItem = { mode: Mode; id: string } | null;
type EditForm = (onCancel: () => void, onClose: (m: string) => void) => ReactNode;

/**
 * The objectives, specific objectives, actions and indicators already in the plan, each with
 * "Modifica" (the add form, prefilled) and "Elimina" (an inline confirmation). One open at a time.
 */
export function ItemList({ plan, onDone }: { plan: PlanTree; onDone: OnDone }) {
  const [open, setOpen] = useState<OpenItem>(null);
  const [focusId, setFocusId] = useState<string | null>(null);
  useEffect(() => {
    if (!focusId) return;
    (document.getElementById(focusId) ?? document.getElementById('items-title'))?.focus();
    setFocusId(null);
  }, [focusId]);

  /** Closes what is open; `message` (if any) goes to the status line, focus to `focus`. */
  const close = (focus: string, message?: string) => {
    setOpen(null);
    if (message !== undefined) onDone(message);
    setFocusId(focus);
  };

  const toggle = (mode: Mode, item: { id: string; code: string }, what: string, isOpen: boolean) => (
    <Button
      id={`${mode}-btn-${item.id}`}
      color={mode === 'edit' ? 'primary' : 'danger'}
      outline
      size="sm"
      aria-expanded={isOpen}
      onClick={() => setOpen(isOpen ? null : { mode, id: item.id })}
    >
      {mode === 'edit' ? t.plan.edit : t.plan.delete}
      <span className="visually-hidden"> {what}</span>
    </Button>
  );

  const row = (
    kind: ItemKind,
    item: { id: string; code: string; revision: number },
    label: string,
    editForm: EditForm,
    children: ReactNode[] = [],
  ) => {
    const what = `${t.plan.itemKinds[kind]} ${item.code}`;
    const editing = open?.id === item.id && open.mode === 'edit';
    const deleting = open?.id === item.id && open.mode === 'delete';
    const editBtn = `edit-btn-${item.id}`;
    const deleteBtn = `delete-btn-${item.id}`;
    return (
      <li key={item.id} className="plan-item py-2">
        <div className="d-flex flex-wrap align-items-center gap-2">
          <span className="flex-grow-1">
            <span className="small text-secondary">{t.plan.itemLabels[kind]}</span>{' '}
            <span className="font-monospace fw-semibold">{item.code}</span> — {label}
          </span>
          {toggle('edit', item, what, editing)}
          {toggle('delete', item, what, deleting)}
        </div>
        {editing ? (
          <div className="mt-2">
            {editForm(
              () => close(editBtn),
              (message) => close(editBtn, message),
            )}
          </div>
        ) : null}
        {deleting ? (
          <DeleteConfirm
            plan={plan}
            kind={kind}
            itemId={item.id}
            code={item.code}
            revision={item.revision}
            onCancel={() => close(deleteBtn)}
            onClose={(message, deleted) => close(deleted ? 'items-title' : deleteBtn, message)}
          />
        ) : null}
        {children.length ? <ul className="list-unstyled ms-4 mb-0">{children}</ul> : null}
      </li>
    );
  };

  const indicatorRows = (indicators: IndicatorView[], ref: string) =>
    indicators.map((ind) =>
      row('indicator', ind, ind.name, (onCancel, onClose) => (
        <IndicatorForm plan={plan} onDone={onDone} edit={{ item: { ...ind, ref }, onCancel, onClose }} />
      )),
    );

  return (
    <section className="plan-items mb-4" aria-labelledby="items-title">
      <h3 id="items-title" className="h5" tabIndex={-1}>
        {t.plan.items}
      </h3>
      {plan.objectives.length === 0 ? (
        <p>{t.plan.noObjectives}</p>
      ) : (
        <ul className="list-unstyled plan-items-list">
          {plan.objectives.map((o) =>
            row(
              'objective',
              o,
              o.title,
              (onCancel, onClose) => (
                <ObjectiveForm
                  plan={plan}
                  onDone={onDone}
                  edit={{ item: generalItem(o), onCancel, onClose }}
                />
              ),
              [
                ...indicatorRows(o.indicators, `o:${o.id}`),
                ...o.specific.map((s) =>
                  row(
                    'specific',
                    s,
                    s.title,
                    (onCancel, onClose) => (
                      <ObjectiveForm
                        plan={plan}
                        onDone={onDone}
                        edit={{ item: specificItem(s, o.id), onCancel, onClose }}
                      />
                    ),
                    [
                      ...indicatorRows(s.indicators, `o:${s.id}`),
                      ...s.actions.map((a) =>
                        row(
                          'action',
                          a,
                          a.title,
                          (onCancel, onClose) => (
                            <ActionForm
                              plan={plan}
                              onDone={onDone}
                              edit={{ item: { ...a, objectiveId: s.id }, onCancel, onClose }}
                            />
                          ),
                          indicatorRows(a.indicators, `a:${a.id}`),
                        ),
                      ),
                    ],
                  ),
                ),
              ],
            ),
          )}
        </ul>
      )}
    </section>
  );
}
