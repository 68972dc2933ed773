// The capacity inventory: what someone has, wants to learn and is willing to share,
// skill by skill, as a grid of checkboxes that is quick to fill in during a conversation.
import { useId, useState } from 'react';
import { Skill } from '../../../shared/domain';
import { FieldError } from '../components/fields';
import { addOnEnter } from '../lib/add-on-enter';
import { fieldId, type Issues } from '../lib/issues';
import { itemIssues } from '../lib/item-issues';

type SkillItem = Skill;
const FLAGS = [
  ['has', 'Has'],
  ['wantsToLearn', 'Wants to learn'],
  ['willingToShare', 'Willing to share'],
] as const;

interface Props {
  skills: SkillItem[];
  onChange: (skills: SkillItem[], now: boolean) => void;
  onBlur: () => void;
  issues: Issues;
}

export function CapacityGrid({ skills, onChange, onBlur, issues }: Props) {
  const domainsId = useId();
  const change = (index: number, changes: Partial<SkillItem>, now: boolean) =>
    onChange(skills.map((s, i) => (i === index ? { ...s, ...changes } : s)), now);
  const domains = [...new Set(skills.map((s) => s.domain))];
  return (
    <section className="form-section" aria-labelledby="skills-heading">
      <h2 id="skills-heading">Capacity inventory</h2>
      <p className="section-hint">Gifts and skills, by domain — and whether they would like to learn or share them.</p>
      <datalist id={domainsId}>
        {domains.map((d) => (
          <option key={d} value={d} />
        ))}
      </datalist>
      {skills.length > 0 ? (
        <table className="grid-table grid-table--skills">
          <thead>
            <tr>
              <th scope="col">Domain</th>
              <th scope="col">Skill</th>
              {FLAGS.map(([key, label]) => (
                <th key={key} scope="col" className="grid-check">
                  {label}
                </th>
              ))}
              <th scope="col">
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {skills.map((s, i) => {
              const name = s.skill || `skill ${i + 1}`;
              return (
                <tr key={s.id}>
                  <td>
                    <input
                      id={fieldId(`skills.${i}.domain`)}
                      aria-label={`Domain of ${name}`}
                      list={domainsId}
                      value={s.domain}
                      aria-invalid={issues[`skills.${i}.domain`] ? true : undefined}
                      onChange={(e) => change(i, { domain: e.target.value }, false)}
                      onBlur={onBlur}
                    />
                    <FieldError id={undefined} label="Domain" error={issues[`skills.${i}.domain`]} />
                  </td>
                  <td>
                    <input
                      id={fieldId(`skills.${i}.skill`)}
                      aria-label={`Skill ${i + 1}`}
                      value={s.skill}
                      aria-invalid={issues[`skills.${i}.skill`] ? true : undefined}
                      onChange={(e) => change(i, { skill: e.target.value }, false)}
                      onBlur={onBlur}
                    />
                    <FieldError id={undefined} label="Skill" error={issues[`skills.${i}.skill`]} />
                  </td>
                  {FLAGS.map(([key, label]) => (
                    <td key={key} className="grid-check">
                      <input type="checkbox" aria-label={`${name}: ${label.toLowerCase()}`} checked={s[key]} onChange={(e) => change(i, { [key]: e.target.checked }, true)} />
                    </td>
                  ))}
                  <td>
                    <button
                      type="button"
                      className="button button--ghost button--small"
                      aria-label={`Remove ${name}`}
                      onClick={() => onChange(skills.filter((x) => x.id !== s.id), true)}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : (
        <p className="muted">No skills recorded yet.</p>
      )}
      <FieldError id={undefined} label="Capacity inventory" error={issues.skills} />
      <AddSkill domainsId={domainsId} onAdd={(skill) => onChange([...skills, skill], true)} />
    </section>
  );
}

function AddSkill({ domainsId, onAdd }: { domainsId: string; onAdd: (skill: SkillItem) => void }) {
  const blank = { domain: '', skill: '', has: true, wantsToLearn: false, willingToShare: false };
  const [item, setItem] = useState(blank);
  const [issues, setIssues] = useState<Issues>({});
  const add = () => {
    const skill = { id: crypto.randomUUID(), ...item };
    const found = itemIssues(Skill, skill);
    setIssues(found);
    if (Object.keys(found).length) return;
    onAdd(skill);
    // A fresh row: a domain left in it ran into the next one typed ("FoodDigital"). The
    // domains already used are offered as the next one is typed.
    setItem(blank);
    document.getElementById('new-skill-domain')?.focus();
  };
  return (
    <div className="add-row" role="group" aria-labelledby="new-skill-heading" onKeyDown={addOnEnter(add)}>
      <h3 id="new-skill-heading">Add a skill</h3>
      <div className="add-row-fields">
        <div className={`field${issues.domain ? ' field--invalid' : ''}`}>
          <label htmlFor="new-skill-domain">Domain</label>
          <input id="new-skill-domain" list={domainsId} value={item.domain} placeholder="e.g. Food" onChange={(e) => setItem({ ...item, domain: e.target.value })} aria-invalid={issues.domain ? true : undefined} aria-describedby={issues.domain ? 'new-skill-domain-error' : undefined} />
          <FieldError id="new-skill-domain-error" label="Domain" error={issues.domain} />
        </div>
        <div className={`field${issues.skill ? ' field--invalid' : ''}`}>
          <label htmlFor="new-skill-skill">Skill</label>
          <input id="new-skill-skill" value={item.skill} placeholder="e.g. Baking bread" onChange={(e) => setItem({ ...item, skill: e.target.value })} aria-invalid={issues.skill ? true : undefined} aria-describedby={issues.skill ? 'new-skill-skill-error' : undefined} />
          <FieldError id="new-skill-skill-error" label="Skill" error={issues.skill} />
        </div>
        <div className="add-row-checks">
          {FLAGS.map(([key, label]) => (
            <label key={key} className="choice">
              <input type="checkbox" checked={item[key]} onChange={(e) => setItem({ ...item, [key]: e.target.checked })} />
              <span>{label}</span>
            </label>
          ))}
          <button type="button" className="button" onClick={add}>
            Add skill
          </button>
        </div>
      </div>
    </div>
  );
}
