import { SelectField, TextField } from '../../../components/FormField';
import { t } from '../../../i18n';
import { useAddObjective, useUpdateItem } from '../api';
import {
  MACRO_AREAS,
  OBJECTIVE_KINDS,
  type ObjectiveKind,
  type ObjectiveView,
  type PlanTree,
  type SpecificObjectiveView,
} from '../types';
import { reasonOf, useFields } from './fields';
import { ItemFormShell, useItemSave } from './ItemFormShell';
import { ChoiceField, type Editing, type OnDone } from './shared';

/** An objective as its form sees it: a general one (parentId null) or a specific one. */
export interface ObjectiveItem {
  id: string;
  code: string;
  title: string;
  needs: string;
  leps: string[];
  kind: ObjectiveKind | null;
  macroAreaCode: string | null;
  parentId: string | null;
  revision: number;
}

export const generalItem = (o: ObjectiveView): ObjectiveItem => ({
  id: o.id,
  code: o.code,
  title: o.title,
  needs: o.needs,
  leps: o.leps,
  kind: o.kind,
  macroAreaCode: o.macroArea?.code ?? null,
  parentId: null,
  revision: o.revision,
});

export const specificItem = (s: SpecificObjectiveView, parentId: string): ObjectiveItem => ({
  id: s.id,
  code: s.code,
  title: s.title,
  needs: s.needs,
  leps: [],
  kind: null,
  macroAreaCode: null,
  parentId,
  revision: s.revision,
});

/** The add form, or with `edit` the same form prefilled with the item, saved with PUT + If-Match. */
export function ObjectiveForm({
  plan,
  onDone,
  edit,
}: {
  plan: PlanTree;
  onDone: OnDone;
  edit?: Editing<ObjectiveItem>;
}) {
  const item = edit?.item;
  const p = item ? 'edit-obj' : 'obj';
  const f = useFields({
    level: item?.parentId ? 'specific' : 'general',
    parentId: item?.parentId ?? '',
    code: item?.code ?? '',
    title: item?.title ?? '',
    kind: item?.kind ?? '',
    macroAreaCode: item?.macroAreaCode ?? '',
    needs: item?.needs ?? '',
    changeReason: '',
  });
  const kindLabel = item?.parentId ? t.plan.itemKinds.specific : t.plan.itemKinds.objective;
  const add = useAddObjective(plan.id);
  const s = useItemSave(plan, onDone, edit, kindLabel, add, useUpdateItem(plan.id, 'objectives'));
  const field = f.fieldsOf(p, s.errors);
  const general = f.values.level === 'general';

  const onSubmit = () => {
    const v = f.values;
    const body = {
      parentId: general ? null : v.parentId || null,
      code: v.code.trim(),
      title: v.title.trim(),
      kind: general ? ((v.kind || null) as ObjectiveKind | null) : null,
      macroAreaCode: general ? v.macroAreaCode || null : null,
      needs: v.needs,
      ...(item ? { leps: item.leps } : {}),
      ...reasonOf(plan, v.changeReason),
    };
    s.save(body, t.plan.objectiveAdded(body.code), f.reset);
  };

  return (
    <ItemFormShell
      s={s}
      cardId={item ? 'edit-obj-form' : 'objective-form'}
      prefix={p}
      addTitle={t.plan.addObjective}
      className="objective-form"
      submit={t.plan.addObjectiveSubmit}
      reason={f.bind('changeReason')}
      onSubmit={onSubmit}
    >
      {item ? null : (
        <SelectField
          id={`${p}-level`}
          label={t.plan.objectiveLevel}
          className="col-md-6"
          {...f.bind('level')}
        >
          <option value="general">{t.plan.general}</option>
          <option value="specific">{t.plan.specific}</option>
        </SelectField>
      )}
      {general ? (
        <>
          <ChoiceField
            label={t.plan.kind}
            className="col-md-6"
            options={OBJECTIVE_KINDS.map((k) => ({ value: k, label: t.plan.kinds[k] }))}
            {...field('kind')}
          />
          <ChoiceField
            label={t.plan.macroArea}
            className="col-12"
            options={MACRO_AREAS.map((code) => ({
              value: code,
              label: `${code} — ${t.plan.macroAreas[code]}`,
            }))}
            {...field('macroAreaCode', 'area')}
          />
        </>
      ) : (
        <ChoiceField
          label={t.plan.parent}
          className="col-md-6"
          options={plan.objectives.map((o) => ({ value: o.id, label: `${o.code} — ${o.title}` }))}
          {...field('parentId', 'parent')}
        />
      )}
      <TextField label={t.plan.code} className="col-md-3" {...field('code')} />
      <TextField label={t.plan.title} className="col-md-9" {...field('title')} />
      <TextField label={t.plan.needs} className="col-12" {...field('needs')} />
    </ItemFormShell>
  );
}
