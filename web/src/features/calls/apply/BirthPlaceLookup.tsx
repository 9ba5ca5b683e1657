import { Button } from 'design-react-kit';
import { useState } from 'react';
import { TextField } from '../../../components/FormField';
import { t } from '../../../i18n';
import { findBelfiore } from './checks';

/**
 * The cadastral code of the place of birth from its name, for who does not know it by heart:
 * the code is written into the field and the outcome announced (role=status). Not a form of its
 * own (forms do not nest): the button runs the lookup, Enter in the name field does too.
 */
export function BirthPlaceLookup({ onFound }: { onFound: (code: string) => void }) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [province, setProvince] = useState('');
  const [message, setMessage] = useState('');
  const l = t.calls.form.lookup;
  const search = () => {
    if (!name.trim()) return setMessage(l.nameFirst);
    const found = findBelfiore(name, province);
    if ('code' in found) {
      onFound(found.code);
      setMessage(l.found(name.trim(), found.code));
    } else setMessage(found.error === 'unknownOrAmbiguous' ? l.unknownOrAmbiguous : l.unknown);
  };
  return (
    <div className="col-12 mb-3 birthplace-lookup">
      <Button
        color="primary"
        outline
        size="xs"
        aria-expanded={open}
        aria-controls="birthplace-lookup-panel"
        onClick={() => setOpen((o) => !o)}
      >
        {l.toggle}
      </Button>
      <div id="birthplace-lookup-panel" hidden={!open} className="row border rounded p-3 mt-2 mx-0">
        <TextField
          id="lookup-name"
          label={l.name}
          hint={l.nameHint}
          className="col-md-6"
          value={name}
          onChange={(e) => setName(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              search();
            }
          }}
        />
        <TextField
          id="lookup-province"
          label={l.province}
          hint={l.provinceHint}
          className="col-md-3"
          maxLength={2}
          value={province}
          onChange={(e) => setProvince(e.target.value)}
        />
        <div className="col-md-3 d-flex align-items-start pt-md-4">
          <Button color="primary" size="sm" onClick={search}>
            {l.search}
          </Button>
        </div>
        <p className="col-12 mb-0 small lookup-status" role="status">
          {message}
        </p>
      </div>
    </div>
  );
}
