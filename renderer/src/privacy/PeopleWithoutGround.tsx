// People held with no consent that counts today and no lawful basis recorded: the lead
// records a basis or a consent on each one's page (or erases them in the retention review).
import { call } from '../app/connection';
import { recordHref } from '../app/router';
import { formatCount, today } from '../../../shared/format';
import { useLiveAnswer } from './use-live-answer';

export function PeopleWithoutGround() {
  const { answer: people, error } = useLiveAnswer(() => call('consent.withoutGround', { today: today() }), ['contact', 'policy']);
  return (
    <section className="form-section privacy-section" aria-labelledby="without-ground-heading">
      <h2 id="without-ground-heading">People held without consent or lawful basis</h2>
      {error ? (
        <p className="banner banner--error" role="alert">
          {error}
        </p>
      ) : !people ? (
        <p role="status">Loading…</p>
      ) : people.length === 0 ? (
        <p>Everyone is held with a consent that counts today or a lawful basis.</p>
      ) : (
        <>
          <p>
            {formatCount(people.length, 'person', 'people')} with no consent that counts today and no lawful basis recorded. Record one on their
            page, or erase them.
          </p>
          <ul className="privacy-people" aria-label="People held without consent or lawful basis">
            {people.map((p) => (
              <li key={p.id}>
                <a href={recordHref('contact', p.id)}>{p.name}</a>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
