import { type ChangeEvent, useMemo, useState } from 'react';
import type { CallRules } from '../types';
import {
  type ChosenFile,
  check,
  controlId,
  ERROR_KEY,
  type FormValues,
  initialValues,
  type TextKey,
} from './model';

/**
 * Fields are checked as they are typed: an error shows once the field has been left, or as soon
 * as a code is complete (a codice fiscale of 16 characters, an IBAN of 27), and from the first
 * attempt to send on, everywhere. A server error stays next to its field until that field changes.
 */
const COMPLETE_AT: Partial<Record<TextKey, number>> = { codiceFiscale: 16, iban: 27, dsuProtocol: 27 };

export function useApplicationForm(rules: CallRules) {
  const [values, setValues] = useState<FormValues>(() => initialValues(rules));
  const [files, setFiles] = useState<Record<string, ChosenFile | undefined>>({});
  const [fileErrors, setFileErrors] = useState<Record<string, string>>({});
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [showAll, setShowAll] = useState(false);
  const [server, setServer] = useState<Record<string, string>>({});

  const result = useMemo(() => check(values, rules, files), [values, rules, files]);

  const touch = (key: string) => setTouched((s) => (s.has(key) ? s : new Set(s).add(key)));
  const forget = (key: string) =>
    setServer((s) => {
      if (!(key in s)) return s;
      const { [key]: _, ...rest } = s;
      return rest;
    });

  /** The error shown for a key now: the file's own, the server's, or the form's once due. */
  const error = (key: string): string | undefined =>
    fileErrors[key] ?? server[key] ?? (showAll || touched.has(key) ? result.errors[key] : undefined);

  const setText = (name: TextKey, value: string) => {
    setValues((v) => ({ ...v, [name]: value }));
    const key = ERROR_KEY[name];
    forget(key);
    const complete = COMPLETE_AT[name];
    if (complete !== undefined && value.replace(/\s/g, '').length >= complete) touch(key);
  };

  /** The props of a text field or select: id, value, change, blur and the error to show. */
  const text = (name: TextKey) => {
    const key = ERROR_KEY[name];
    return {
      id: controlId(key),
      value: values[name],
      error: error(key),
      onChange: (e: ChangeEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>) =>
        setText(name, e.target.value),
      onBlur: () => touch(key),
    };
  };

  const setCondition = (code: string, on: boolean) => {
    setValues((v) => ({ ...v, conditions: { ...v.conditions, [code]: on } }));
    forget(`conditions.${code}`);
    touch(`conditions.${code}`);
  };
  const setField = (code: string, value: string) => {
    setValues((v) => ({ ...v, fields: { ...v.fields, [code]: value } }));
    forget(`fields.${code}`);
  };
  const setFile = (code: string, chosen: ChosenFile | undefined, problem?: string) => {
    const key = `attachments.${code}`;
    setFiles((f) => ({ ...f, [code]: chosen }));
    setFileErrors(({ [key]: _, ...rest }) => (problem ? { ...rest, [key]: problem } : rest));
    forget(key);
    touch(key);
  };

  return {
    values,
    setValues,
    files,
    setFile,
    result,
    error,
    touch,
    text,
    setText,
    setCondition,
    setField,
    /** Every error of the form is shown from now on (an attempt to send). */
    showAll: () => setShowAll(true),
    setServer,
    /** The keys with an error shown now, for the summary. */
    shownErrors: (): Record<string, string> => {
      const keys = new Set([
        ...Object.keys(fileErrors),
        ...Object.keys(server),
        ...(showAll ? Object.keys(result.errors) : []),
      ]);
      return Object.fromEntries([...keys].flatMap((k) => (error(k) ? [[k, error(k) as string]] : [])));
    },
  };
}

export type ApplicationFormApi = ReturnType<typeof useApplicationForm>;
